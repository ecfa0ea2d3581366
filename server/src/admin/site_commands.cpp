// `site create`, `site list`, `site rotate-secret`, `site settings`.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "admin/command_support.hpp"
#include "admin/site_settings.hpp"
#include "admin/sites.hpp"
#include "vitrina/protocol/json.hpp"

namespace vitrina::admin::detail {

namespace {

constexpr const char* kShownOnce =
    "The secret key is shown only this once: store it now (it cannot be recovered, only "
    "replaced with `site rotate-secret`).";

struct SiteOptions {
  std::string name;
  std::vector<std::string> origins;
  std::string site;
  std::vector<std::string> sets;  // KEY=VALUE
  std::vector<std::string> unsets;
  bool json = false;
};

void write_origins(protocol::JsonWriter& w, const std::vector<std::string>& origins) {
  w.key("allowed_origins").begin_array();
  for (const auto& o : origins) w.value(o);
  w.end_array();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void run_create(CommandContext& ctx, const SiteOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto created = create_site(*store, opt.name, opt.origins, now_ms());
  if (!created) return report(ctx, created.error());
  const store::Site& site = created->site;
  if (opt.json) {
    protocol::JsonWriter w;
    w.begin_object().key("id").value(site.id).key("name").value(site.name);
    w.key("public_key").value(site.public_key).key("secret_key").value(created->secret_key);
    write_origins(w, site.allowed_origins);
    w.end_object();
    ctx.out << w.str() << '\n';
    return;
  }
  ctx.out << "Created site \"" << site.name << "\"\n"
          << "  id:          " << site.id << '\n'
          << "  public key:  " << site.public_key << '\n'
          << "  origins:     " << join(site.allowed_origins) << '\n'
          << "  secret key:  " << created->secret_key << "\n\n"
          << kShownOnce << '\n';
}

void run_list(CommandContext& ctx, const SiteOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto sites = store->list_sites();
  if (!sites) return report(ctx, sites.error());
  if (opt.json) {
    // No secret_hash either: it is not secret, but nothing outside the store needs it.
    protocol::JsonWriter w;
    w.begin_array();
    for (const auto& site : *sites) {
      w.begin_object().key("id").value(site.id).key("name").value(site.name);
      w.key("public_key").value(site.public_key);
      write_origins(w, site.allowed_origins);
      w.key("created_at").value(site.created_at).end_object();
    }
    w.end_array();
    ctx.out << w.str() << '\n';
    return;
  }
  if (sites->empty()) {
    ctx.out << "No sites yet. Create one with: site create --name NAME --origin "
               "https://shop.example\n";
    return;
  }
  for (const auto& site : *sites) {
    ctx.out << site.id << "  " << site.public_key << "  " << site.name << "  [" << join(site.allowed_origins) << "]\n";
  }
}

void run_rotate(CommandContext& ctx, const SiteOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto secret = rotate_secret(*store, opt.site, now_ms());
  if (!secret) return report(ctx, secret.error());
  ctx.out << "New secret key for " << opt.site << ": " << *secret << "\n"
          << "The previous secret key no longer works.\n"
          << kShownOnce << '\n';
}

void run_settings(CommandContext& ctx, const SiteOptions& opt) {
  std::vector<std::pair<std::string, std::string>> sets;
  for (const auto& item : opt.sets) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return report(ctx, protocol::make_error(protocol::ErrorCode::invalid, "must be KEY=VALUE, got " + item, "--set"));
    }
    sets.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  auto store = open_or_report(ctx);
  if (!store) return;
  auto site = update_site_settings(*store, opt.site, sets, opt.unsets, now_ms());
  if (!site) return report(ctx, site.error());
  if (opt.json) {
    ctx.out << site->settings_json << '\n';
    return;
  }
  ctx.out << "Settings of " << site->id << " (" << site->name << "): " << site->settings_json << '\n';
}

std::string settings_help() {
  std::string help = "Show or change a site's settings. Keys:";
  for (const auto& s : site_settings()) help += "\n  " + std::string(s.key) + ": " + std::string(s.help);
  return help;
}

}  // namespace

void add_site_commands(CLI::App& app, CommandContext& ctx) {
  // Owned by the callbacks, which live as long as the app.
  auto opt = std::make_shared<SiteOptions>();
  CLI::App* site = app.add_subcommand("site", "Manage sites (shops)");
  site->fallthrough();
  site->require_subcommand(1);

  CLI::App* create = site->add_subcommand("create", "Create a site and print its keys");
  create->fallthrough();
  create->add_option("--name", opt->name, "Shown to visitors and operators")->required();
  create
      ->add_option("--origin", opt->origins,
                   "Origin allowed to embed the widget, e.g. https://shop.example (repeatable)")
      ->required();
  create->add_flag("--json", opt->json, "Print one JSON object");
  create->callback([&ctx, opt] { run_create(ctx, *opt); });

  CLI::App* list = site->add_subcommand("list", "List sites (never shows secret keys)");
  list->fallthrough();
  list->add_flag("--json", opt->json, "Print a JSON array");
  list->callback([&ctx, opt] { run_list(ctx, *opt); });

  CLI::App* rotate = site->add_subcommand("rotate-secret", "Replace a site's secret key and print the new one");
  rotate->fallthrough();
  rotate->add_option("SITE", opt->site, "Site id (site_…) or public key (pk_…)")->required();
  rotate->callback([&ctx, opt] { run_rotate(ctx, *opt); });

  CLI::App* settings = site->add_subcommand("settings", settings_help());
  settings->fallthrough();
  settings->add_option("SITE", opt->site, "Site id (site_…) or public key (pk_…)")->required();
  settings->add_option("--set", opt->sets, "KEY=VALUE (repeatable)");
  settings->add_option("--unset", opt->unsets, "KEY (repeatable)");
  settings->add_flag("--json", opt->json, "Print only the settings object");
  settings->callback([&ctx, opt] { run_settings(ctx, *opt); });
}

}  // namespace vitrina::admin::detail

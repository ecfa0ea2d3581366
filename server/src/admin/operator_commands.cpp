// `operator add`.

#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include "admin/command_support.hpp"
#include "admin/operators.hpp"
#include "auth/password.hpp"

namespace vitrina::admin::detail {

namespace {

struct OperatorCommandOptions {
  std::string site;
  std::string email;
  std::string name;
  std::string role = "operator";
  bool password_stdin = false;
};

void run_add(CommandContext& ctx, const OperatorCommandOptions& opt) {
  std::string password;
  const bool generated = !opt.password_stdin;
  if (opt.password_stdin) {
    if (!std::getline(ctx.in, password)) {
      return report(ctx,
                    protocol::make_error(protocol::ErrorCode::invalid, "no password on standard input", "password"));
    }
    // A password typed on Windows or piped from a CRLF file.
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else {
    password = auth::generate_password();
  }
  auto store = open_or_report(ctx);
  if (!store) return;
  auto added =
      add_operator(*store, opt.site, opt.email, opt.name, password, now_ms(), OperatorOptions{.role = opt.role});
  if (!added) return report(ctx, added.error());
  ctx.out << "Added " << role_name(added->role) << " " << added->email << " (" << added->id << ") to site "
          << added->site_id << '\n';
  if (generated) {
    ctx.out << "  password:  " << password << "\n\n"
            << "The password is shown only this once: hand it to the operator now.\n";
  }
}

}  // namespace

void add_operator_commands(CLI::App& app, CommandContext& ctx) {
  auto opt = std::make_shared<OperatorCommandOptions>();
  CLI::App* group = app.add_subcommand("operator", "Manage the operators who answer chats");
  group->fallthrough();
  group->require_subcommand(1);

  CLI::App* add = group->add_subcommand("add", "Add an operator to a site");
  add->fallthrough();
  add->add_option("--site", opt->site, "Site id (site_…) or public key (pk_…)")->required();
  add->add_option("--email", opt->email, "Sign-in email, stored lower-cased")->required();
  add->add_option("--name", opt->name, "Display name (default: the part of the email before @)");
  add->add_option("--role", opt->role,
                  "operator (answers chats) or owner (also manages the site's canned responses; \"admin\" is the same)")
      ->check(CLI::IsMember({"operator", "owner", "admin"}));
  add->add_flag("--password-stdin", opt->password_stdin,
                "Read the password from the first line of standard input instead of "
                "generating one");
  add->callback([&ctx, opt] { run_add(ctx, *opt); });
}

}  // namespace vitrina::admin::detail

// `webhook add|list|rotate-secret|attempts|resend|test`.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "admin/command_support.hpp"
#include "vitrina/protocol/json.hpp"
#include "webhooks/endpoints.hpp"
#include "webhooks/event.hpp"
#include "webhooks/target.hpp"

namespace vitrina::admin::detail {

namespace {

constexpr const char* kSecretShownOnce =
    "The signing secret is shown only this once: give it to the receiving backend now (it can "
    "be replaced with `webhook rotate-secret`).";
constexpr const char* kPublicKeyNote =
    "The receiving backend verifies v1a signatures with the public key (whpk_); the private key "
    "stays on this server.";

struct WebhookOptions {
  std::string site;
  std::string url;
  std::vector<std::string> events;
  std::string signing = "hmac";
  std::string endpoint;
  std::string message;
  bool json = false;
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "all" : out;
}

// Accepts a site id or its public key, like `site rotate-secret`.
std::optional<store::Site> find_site(CommandContext& ctx, store::Store& store, const std::string& ref) {
  auto site = ref.starts_with("pk_") ? store.find_site_by_public_key(ref) : store.find_site_by_id(ref);
  if (!site) {
    report(ctx, site.error());
    return std::nullopt;
  }
  if (!*site) {
    report(ctx, protocol::make_error(protocol::ErrorCode::not_found, "no site " + ref, "site"));
    return std::nullopt;
  }
  return std::move(**site);
}

// The keys a receiver needs, printed after an add or a rotation: the whsec_ secret (once) and
// the whpk_ public key.
void print_keys(CommandContext& ctx, const store::WebhookEndpoint& e) {
  if (!e.secret.empty()) ctx.out << "  secret:     " << e.secret << '\n';
  if (!e.public_key.empty()) ctx.out << "  public key: " << e.public_key << '\n';
  ctx.out << '\n';
  if (!e.secret.empty()) ctx.out << kSecretShownOnce << '\n';
  if (!e.public_key.empty()) ctx.out << kPublicKeyNote << '\n';
}

void run_add(CommandContext& ctx, const WebhookOptions& opt) {
  const auto signing = webhooks::parse_signing(opt.signing);
  if (!signing) {
    return report(ctx, protocol::make_error(protocol::ErrorCode::invalid, "must be hmac, ed25519 or both", "signing"));
  }
  auto store = open_or_report(ctx);
  if (!store) return;
  auto site = find_site(ctx, *store, opt.site);
  if (!site) return;
  const bool allow_private = (ctx.allow_private_webhook_targets && ctx.allow_private_webhook_targets()) ||
                             webhooks::site_allows_private_targets(*site);
  auto created = webhooks::create_endpoint(
      *store, site->id, {.url = opt.url, .event_types = opt.events, .signing = *signing}, allow_private, now_ms());
  if (!created) return report(ctx, created.error());
  const auto& e = *created;
  if (opt.json) {
    protocol::JsonWriter w;
    w.begin_object().key("id").value(e.id).key("site_id").value(e.site_id).key("url").value(e.url);
    w.key("events").begin_array();
    for (const auto& t : e.event_types) w.value(t);
    w.end_array().key("signing").value(webhooks::to_string(*signing));
    if (!e.secret.empty()) w.key("secret").value(e.secret);
    if (!e.public_key.empty()) w.key("public_key").value(e.public_key);
    w.end_object();
    ctx.out << w.str() << '\n';
    return;
  }
  ctx.out << "Added webhook endpoint\n"
          << "  id:         " << e.id << '\n'
          << "  url:        " << e.url << '\n'
          << "  events:     " << join(e.event_types) << '\n'
          << "  signing:    " << webhooks::to_string(*signing) << '\n';
  print_keys(ctx, e);
}

void run_list(CommandContext& ctx, const WebhookOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto site = find_site(ctx, *store, opt.site);
  if (!site) return;
  auto endpoints = store->list_webhook_endpoints(site->id);
  if (!endpoints) return report(ctx, endpoints.error());
  // Never the secrets.
  if (opt.json) {
    protocol::JsonWriter w;
    w.begin_array();
    for (const auto& e : *endpoints) {
      w.begin_object().key("id").value(e.id).key("url").value(e.url).key("events").begin_array();
      for (const auto& t : e.event_types) w.value(t);
      w.end_array().key("signing").value(webhooks::to_string(webhooks::signing_of(e)));
      if (!e.public_key.empty()) w.key("public_key").value(e.public_key);
      w.key("disabled").value(e.disabled).key("disabled_reason").value(e.disabled_reason);
      w.key("created_at").value(e.created_at).end_object();
    }
    w.end_array();
    ctx.out << w.str() << '\n';
    return;
  }
  if (endpoints->empty()) ctx.out << "No webhook endpoints. Add one with: webhook add --site SITE --url URL\n";
  for (const auto& e : *endpoints) {
    ctx.out << e.id << "  " << e.url << "  events: " << join(e.event_types)
            << "  signing: " << webhooks::to_string(webhooks::signing_of(e));
    if (e.disabled) ctx.out << "  DISABLED (" << e.disabled_reason << ")";
    ctx.out << '\n';
  }
}

void run_rotate(CommandContext& ctx, const WebhookOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto rotated = webhooks::rotate_endpoint_keys(*store, opt.endpoint, now_ms());
  if (!rotated) return report(ctx, rotated.error());
  ctx.out << "New signing keys for " << opt.endpoint << ":\n";
  print_keys(ctx, *rotated);
  ctx.out << "For the next 24 hours every message is signed with both the old and the new keys.\n";
}

void run_attempts(CommandContext& ctx, const WebhookOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto message = store->find_webhook_message(opt.message);
  if (!message) return report(ctx, message.error());
  if (!*message)
    return report(ctx,
                  protocol::make_error(protocol::ErrorCode::not_found, "no webhook message " + opt.message, "message"));
  auto deliveries = store->list_deliveries(opt.message);
  if (!deliveries) return report(ctx, deliveries.error());
  auto attempts = store->list_attempts(opt.message);
  if (!attempts) return report(ctx, attempts.error());
  if (opt.json) {
    protocol::JsonWriter w;
    w.begin_object().key("id").value((*message)->id).key("type").value((*message)->event_type);
    w.key("deliveries").begin_array();
    for (const auto& d : *deliveries) {
      w.begin_object().key("endpoint_id").value(d.endpoint_id).key("status").value(d.status);
      w.key("attempts").value(d.attempts).key("next_attempt_at").value(d.next_attempt_at).end_object();
    }
    w.end_array().key("attempts").begin_array();
    for (const auto& a : *attempts) {
      w.begin_object().key("endpoint_id").value(a.endpoint_id).key("at").value(a.attempted_at);
      w.key("status_code").value(a.status_code).key("error").value(a.error);
      w.key("duration_ms").value(a.duration_ms).key("response").value(a.response_snippet).end_object();
    }
    w.end_array().end_object();
    ctx.out << w.str() << '\n';
    return;
  }
  ctx.out << (*message)->id << "  " << (*message)->event_type << '\n';
  for (const auto& d : *deliveries) {
    ctx.out << "  to " << d.endpoint_id << ": " << d.status << " after " << d.attempts << " attempt(s)\n";
  }
  for (const auto& a : *attempts) {
    ctx.out << "  " << webhooks::rfc3339_ms(a.attempted_at) << "  " << a.endpoint_id << "  "
            << (a.status_code == 0 ? std::string("-") : std::to_string(a.status_code)) << "  " << a.duration_ms
            << " ms  " << a.error << '\n';
  }
}

void run_resend(CommandContext& ctx, const WebhookOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto requeued = store::wait_for<std::int64_t>([&](store::Done<std::int64_t> done) {
    store->resend({.message_id = opt.message, .now = now_ms()}, std::move(done));
  });
  if (!requeued) return report(ctx, requeued.error());
  ctx.out << "Re-queued " << *requeued << " delivery(ies) of " << opt.message << " (same webhook-id)\n";
}

void run_test(CommandContext& ctx, const WebhookOptions& opt) {
  auto store = open_or_report(ctx);
  if (!store) return;
  auto endpoint = store->find_webhook_endpoint(opt.endpoint);
  if (!endpoint) return report(ctx, endpoint.error());
  if (!*endpoint) {
    return report(
        ctx, protocol::make_error(protocol::ErrorCode::not_found, "no webhook endpoint " + opt.endpoint, "endpoint"));
  }
  const auto now = now_ms();
  protocol::JsonWriter data;
  data.begin_object().key("endpoint_id").value(opt.endpoint).key("message").value("a test event from vitrina");
  data.end_object();
  auto event = webhooks::make_event((*endpoint)->site_id, "webhook.test", data.str(), now);
  event.only_endpoint_id = opt.endpoint;
  auto enqueued = store::wait_for<store::EnqueuedEvent>(
      [&](store::Done<store::EnqueuedEvent> done) { store->enqueue_event(std::move(event), std::move(done)); });
  if (!enqueued) return report(ctx, enqueued.error());
  if (opt.json) {
    protocol::JsonWriter w;
    w.begin_object().key("message_id").value(enqueued->message_id).end_object();
    ctx.out << w.str() << '\n';
    return;
  }
  ctx.out << "Queued webhook.test message " << enqueued->message_id
          << "; the running server sends it (see `webhook attempts " << enqueued->message_id << "`)\n";
}

}  // namespace

void add_webhook_commands(CLI::App& app, CommandContext& ctx) {
  auto opt = std::make_shared<WebhookOptions>();
  CLI::App* webhook = app.add_subcommand("webhook", "Manage outbound webhook endpoints and messages");
  webhook->fallthrough();
  webhook->require_subcommand(1);

  CLI::App* add = webhook->add_subcommand("add", "Add an endpoint and print its signing keys");
  add->fallthrough();
  add->add_option("--site", opt->site, "Site id (site_…) or public key (pk_…)")->required();
  add->add_option("--url", opt->url, "https URL that receives the events")->required();
  add->add_option("--event", opt->events, "Event type or pattern, e.g. payment.* (repeatable; none = all)");
  add->add_option("--signing", opt->signing, "Signatures to send: hmac (v1), ed25519 (v1a) or both")
      ->capture_default_str();
  add->add_flag("--json", opt->json, "Print one JSON object");
  add->callback([&ctx, opt] { run_add(ctx, *opt); });

  CLI::App* list = webhook->add_subcommand("list", "List a site's endpoints (never shows secrets)");
  list->fallthrough();
  list->add_option("--site", opt->site, "Site id (site_…) or public key (pk_…)")->required();
  list->add_flag("--json", opt->json, "Print a JSON array");
  list->callback([&ctx, opt] { run_list(ctx, *opt); });

  CLI::App* rotate = webhook->add_subcommand("rotate-secret", "Give an endpoint new signing keys");
  rotate->fallthrough();
  rotate->add_option("ENDPOINT", opt->endpoint, "Endpoint id (we_…)")->required();
  rotate->callback([&ctx, opt] { run_rotate(ctx, *opt); });

  CLI::App* attempts = webhook->add_subcommand("attempts", "Show a message's deliveries and attempts");
  attempts->fallthrough();
  attempts->add_option("MESSAGE", opt->message, "Message id (msg_…)")->required();
  attempts->add_flag("--json", opt->json, "Print one JSON object");
  attempts->callback([&ctx, opt] { run_attempts(ctx, *opt); });

  CLI::App* resend = webhook->add_subcommand("resend", "Send a message again, same webhook-id");
  resend->fallthrough();
  resend->add_option("MESSAGE", opt->message, "Message id (msg_…)")->required();
  resend->callback([&ctx, opt] { run_resend(ctx, *opt); });

  CLI::App* test = webhook->add_subcommand("test", "Queue a webhook.test event for one endpoint");
  test->fallthrough();
  test->add_option("--endpoint", opt->endpoint, "Endpoint id (we_…)")->required();
  test->add_flag("--json", opt->json, "Print one JSON object");
  test->callback([&ctx, opt] { run_test(ctx, *opt); });
}

}  // namespace vitrina::admin::detail

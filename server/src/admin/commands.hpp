#pragma once
// The admin subcommands of vitrina-server (`site …`, `operator …`), registered on the caller's
// CLI::App so the composition root owns the program's options (--data, --config).

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <memory>

#include "store/store.hpp"

namespace vitrina::admin {

struct CommandContext {
  // Called only when a command runs, after the main app parsed --data/--config.
  std::function<protocol::Result<std::unique_ptr<store::Store>>()> open_store;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // Whether webhook endpoints may point at private addresses and use plain http (the
  // webhooks.allow_private_targets key); called only by `webhook add`. Unset: false.
  std::function<bool()> allow_private_webhook_targets = {};
  // Set by a command that ran: 0 on success, 2 for bad input (invalid, not found, conflict),
  // 1 when the store failed.
  int exit_code = 0;
};

/// Registers `site create|list|rotate-secret`, `operator add` and `webhook …` on `app`. `ctx` must outlive
/// app.parse(). Secrets are printed once, by the command that creates them, and never again.
void add_commands(CLI::App& app, CommandContext& ctx);

}  // namespace vitrina::admin

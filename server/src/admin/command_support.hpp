#pragma once
// Helpers shared by the admin command files; not part of the module's interface.

#include <cstdint>
#include <memory>
#include <optional>

#include "admin/commands.hpp"

namespace vitrina::admin::detail {

/// Prints `error` to ctx.err as "error: <field>: <message>" and sets the exit code.
void report(CommandContext& ctx, const protocol::Error& error);

/// Opens the store, reporting a failure (exit code 1) and returning null.
std::unique_ptr<store::Store> open_or_report(CommandContext& ctx);

std::int64_t now_ms();

void add_site_commands(CLI::App& app, CommandContext& ctx);
void add_operator_commands(CLI::App& app, CommandContext& ctx);
void add_webhook_commands(CLI::App& app, CommandContext& ctx);

}  // namespace vitrina::admin::detail

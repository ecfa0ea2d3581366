#include "admin/commands.hpp"

#include <chrono>
#include <ostream>

#include "admin/command_support.hpp"

namespace vitrina::admin {

namespace detail {

void report(CommandContext& ctx, const protocol::Error& error) {
  ctx.err << "error: ";
  if (!error.field.empty()) ctx.err << error.field << ": ";
  ctx.err << error.message << '\n';
  const bool bad_input = error.code == protocol::ErrorCode::invalid || error.code == protocol::ErrorCode::not_found ||
                         error.code == protocol::ErrorCode::conflict;
  ctx.exit_code = bad_input ? 2 : 1;
}

std::unique_ptr<store::Store> open_or_report(CommandContext& ctx) {
  auto store = ctx.open_store();
  if (!store) {
    ctx.err << "error: cannot open the store: " << store.error().message << '\n';
    // Whatever the cause, the command never reached its input: a store failure.
    ctx.exit_code = 1;
    return nullptr;
  }
  return std::move(*store);
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace detail

void add_commands(CLI::App& app, CommandContext& ctx) {
  detail::add_site_commands(app, ctx);
  detail::add_operator_commands(app, ctx);
  detail::add_webhook_commands(app, ctx);
}

}  // namespace vitrina::admin

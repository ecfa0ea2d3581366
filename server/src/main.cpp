// vitrina-server: parses the command line, builds the configuration and runs either the
// server (the default) or an admin command.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <thread>

#include "admin/commands.hpp"
#include "auth/keys.hpp"
#include "config/config.hpp"
#include "log/log.hpp"
#include "serve.hpp"

namespace {

struct Flags {
  std::string config_file;
  std::string listen;
  std::string data;
  std::string io_threads;
  std::string log_level;
  std::vector<std::string> sets;
};

// Builds the configuration from the file, the environment and the flags; exits on error.
vitrina::protocol::Result<vitrina::config::Config> load_config(const Flags& flags) {
  using vitrina::protocol::make_error;
  vitrina::config::Sources sources;
  sources.env = vitrina::config::environment();
  sources.config_file = flags.config_file;
  if (sources.config_file.empty()) {
    for (const auto& [name, value] : sources.env) {
      if (name == "VITRINA_CONFIG") sources.config_file = value;
    }
  }
  if (!flags.listen.empty()) sources.flags.emplace_back("listen", flags.listen);
  if (!flags.data.empty()) sources.flags.emplace_back("data_dir", flags.data);
  if (!flags.io_threads.empty()) sources.flags.emplace_back("io_threads", flags.io_threads);
  if (!flags.log_level.empty()) sources.flags.emplace_back("log.level", flags.log_level);
  for (const auto& s : flags.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      return make_error(vitrina::protocol::ErrorCode::invalid, "--set expects KEY=VALUE, got \"" + s + "\"", "set");
    }
    sources.flags.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  vitrina::config::Config defaults;
  defaults.io_threads = std::max(1u, std::thread::hardware_concurrency());
  auto config = vitrina::config::load(sources, defaults);
  if (config) {
    vitrina::log::Level level{};
    if (vitrina::log::parse_level(config->log_level, level)) vitrina::log::set_level(level);
  }
  return config;
}

std::string keys_help() {
  std::string out = "Configuration keys (TOML key / environment variable):\n";
  for (const auto& k : vitrina::config::keys()) out += "  " + k.key + " / " + k.env + "\n      " + k.description + "\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vitrina-server: live chat, callbacks, ratings and payments for online shops"};
  app.footer(keys_help());
  Flags flags;
  app.add_option("--config", flags.config_file, "TOML configuration file (or VITRINA_CONFIG)");
  app.add_option("--listen", flags.listen, "HOST:PORT to listen on; port 0 picks a free port (or VITRINA_LISTEN)");
  app.add_option("--data", flags.data, "data directory holding the SQLite store (or VITRINA_DATA)");
  app.add_option("--io-threads", flags.io_threads, "network I/O threads (or VITRINA_IO_THREADS)");
  app.add_option("--log-level", flags.log_level, "debug, info, warn or error (or VITRINA_LOG_LEVEL)");
  app.add_option("--set", flags.sets, "KEY=VALUE for any configuration key, e.g. --set http.body_limit=65536");
  app.require_subcommand(0, 1);
  app.add_subcommand("serve", "run the server (the default)")->fallthrough();

  if (auto init = vitrina::auth::initialize(); !init) {
    std::cerr << "vitrina-server: " << init.error().message << "\n";
    return 1;
  }
  vitrina::admin::CommandContext ctx{
      .open_store = [&flags]() -> vitrina::protocol::Result<std::unique_ptr<vitrina::store::Store>> {
        auto config = load_config(flags);
        if (!config) return std::move(config).error();
        return vitrina::open_store(*config);
      },
      .in = std::cin,
      .out = std::cout,
      .err = std::cerr,
      .allow_private_webhook_targets =
          [&flags] {
            auto config = load_config(flags);
            return config && config->webhooks.allow_private_targets;
          },
  };
  vitrina::admin::add_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  const bool admin_command = !app.get_subcommands().empty() && app.get_subcommands().front()->get_name() != "serve";
  if (admin_command) {
    vitrina::log::flush();
    return ctx.exit_code;
  }
  auto config = load_config(flags);
  if (!config) {
    std::cerr << "vitrina-server: configuration error: " << config.error().message << "\n";
    return 2;
  }
  return vitrina::serve(*config);
}

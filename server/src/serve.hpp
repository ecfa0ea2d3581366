#pragma once
#include <memory>

#include "config/config.hpp"
#include "store/store.hpp"

namespace vitrina {

/// Runs the server until SIGTERM/SIGINT; returns the process exit code.
int serve(const config::Config& config);

/// Opens the store the configuration names, creating the data directory if needed.
protocol::Result<std::unique_ptr<store::Store>> open_store(const config::Config& config);

}  // namespace vitrina

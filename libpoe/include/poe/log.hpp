// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The library's log hook. libpoe never writes to stdout/stderr itself: an
/// application installs a sink (maas-bridge plugs spdlog in). Messages
/// never contain secrets.

#include <poe/export.hpp>

#include <functional>
#include <string_view>

namespace poe {

enum class LogLevel { trace, debug, info, warn, error };

/// Receives one log record. May be called from any libpoe thread
/// concurrently; must not block for long and must not call back into libpoe.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

/// Installs the sink (an empty function discards records, the default).
/// Thread-safe.
POE_API void set_log_sink(LogSink sink);

/// Records below `level` are not formatted or delivered. Default: info.
POE_API void set_log_level(LogLevel level);

}  // namespace poe

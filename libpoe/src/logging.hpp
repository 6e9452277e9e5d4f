// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal logging front end: formats only when the level is enabled and
// hands the line to the application's sink (poe::set_log_sink).

#include <poe/log.hpp>

#include <sstream>
#include <string>
#include <utility>

namespace poe::detail {

bool log_enabled(LogLevel level) noexcept;
void log_write(LogLevel level, const std::string& message);

template <typename... Parts>
void log(LogLevel level, Parts&&... parts) {
    if (!log_enabled(level)) {
        return;
    }
    std::ostringstream out;
    (out << ... << std::forward<Parts>(parts));
    log_write(level, out.str());
}

}  // namespace poe::detail

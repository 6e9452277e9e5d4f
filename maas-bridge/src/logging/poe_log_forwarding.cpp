// SPDX-License-Identifier: Apache-2.0
#include "logging/poe_log_forwarding.hpp"

#include <spdlog/spdlog.h>

namespace maas_bridge {
namespace {

spdlog::level::level_enum to_spdlog_level(poe::LogLevel level) noexcept {
    switch (level) {
        case poe::LogLevel::trace:
            return spdlog::level::trace;
        case poe::LogLevel::debug:
            return spdlog::level::debug;
        case poe::LogLevel::info:
            return spdlog::level::info;
        case poe::LogLevel::warn:
            return spdlog::level::warn;
        case poe::LogLevel::error:
            return spdlog::level::err;
    }
    return spdlog::level::err;
}

}  // namespace

poe::LogLevel to_poe_level(spdlog::level::level_enum level) noexcept {
    switch (level) {
        case spdlog::level::trace:
            return poe::LogLevel::trace;
        case spdlog::level::debug:
            return poe::LogLevel::debug;
        case spdlog::level::info:
            return poe::LogLevel::info;
        case spdlog::level::warn:
            return poe::LogLevel::warn;
        default:
            return poe::LogLevel::error;
    }
}

void forward_poe_logs_to_spdlog(spdlog::level::level_enum level) {
    poe::set_log_level(to_poe_level(level));
    poe::set_log_sink([](poe::LogLevel record_level, std::string_view message) {
        spdlog::log(to_spdlog_level(record_level), "libpoe: {}", message);
    });
}

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Sends libpoe's log records to spdlog's default logger.

#include <poe/log.hpp>

#include <spdlog/common.h>

namespace maas_bridge {

/// Installs a poe::set_log_sink that logs each record through spdlog's
/// default logger (prefixed "libpoe: "), and sets libpoe's level to match.
void forward_poe_logs_to_spdlog(spdlog::level::level_enum level);

/// libpoe's level for an spdlog level (critical/off map to error).
poe::LogLevel to_poe_level(spdlog::level::level_enum level) noexcept;

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Durations as written in the configuration: "500ms", "10s", "2m", "1h".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace maas_bridge {

/// Parses a whole number followed by one of ms, s, m, h ("0s" is fine).
/// @return empty for anything else (no unit, fractions, negative, overflow).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// Shortest exact spelling of `d`, e.g. 1500ms → "1500ms", 120000ms → "2m".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace maas_bridge

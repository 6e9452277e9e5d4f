// SPDX-License-Identifier: Apache-2.0
#include "config/duration_text.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <utility>

namespace maas_bridge {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t millis;
};

// Longest suffix first so "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 4> units{{{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    if (digits == 0 || digits > 12) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
    if (ec != std::errc{} || end != text.data() + digits) {
        return std::nullopt;
    }
    const std::string_view suffix = text.substr(digits);
    for (const auto& unit : units) {
        if (suffix == unit.suffix) {
            if (value > std::numeric_limits<std::int64_t>::max() / unit.millis) {
                return std::nullopt;
            }
            return std::chrono::milliseconds{value * unit.millis};
        }
    }
    return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds d) {
    const std::int64_t ms = d.count();
    for (auto it = units.rbegin(); it != units.rend(); ++it) {
        if (ms != 0 && ms % it->millis == 0) {
            return std::to_string(ms / it->millis) + std::string(it->suffix);
        }
    }
    return std::to_string(ms) + "ms";
}

}  // namespace maas_bridge

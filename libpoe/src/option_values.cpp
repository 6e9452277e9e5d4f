// SPDX-License-Identifier: Apache-2.0
#include "option_values.hpp"

#include <charconv>

namespace poe::detail {

Result<std::uint64_t> option_uint(const DriverOptions& options, std::string_view key, std::uint64_t fallback,
                                  std::uint64_t min, std::uint64_t max) {
    const auto it = options.find(key);
    if (it == options.end() || it->second.empty()) {
        return fallback;
    }
    const std::string& text = it->second;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return make_error(
            ErrorCode::invalid_argument,
            "option \"" + std::string(key) + "\": expected a whole number, got \"" + text + "\"");
    }
    if (value < min || value > max) {
        return make_error(ErrorCode::invalid_argument, "option \"" + std::string(key) + "\": " + text +
                                                           " is outside " + std::to_string(min) + ".." +
                                                           std::to_string(max));
    }
    return value;
}

Result<bool> option_bool(const DriverOptions& options, std::string_view key, bool fallback) {
    const auto it = options.find(key);
    if (it == options.end() || it->second.empty()) {
        return fallback;
    }
    const std::string& text = it->second;
    if (text == "true" || text == "yes" || text == "1" || text == "on") {
        return true;
    }
    if (text == "false" || text == "no" || text == "0" || text == "off") {
        return false;
    }
    return make_error(ErrorCode::invalid_argument,
                      "option \"" + std::string(key) + "\": expected true or false, got \"" + text + "\"");
}

Result<std::chrono::milliseconds> option_ms(const DriverOptions& options, std::string_view key,
                                            std::chrono::milliseconds fallback,
                                            std::chrono::milliseconds max) {
    auto value = option_uint(options, key, static_cast<std::uint64_t>(fallback.count()), 0,
                             static_cast<std::uint64_t>(max.count()));
    if (!value) {
        return std::move(value).error();
    }
    return std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(*value)};
}

std::string option_text(const DriverOptions& options, std::string_view key, std::string_view fallback) {
    const auto it = options.find(key);
    return it == options.end() ? std::string(fallback) : it->second;
}

}  // namespace poe::detail

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Small string_view helpers shared by the cisco-ios text code: trimming,
/// quoting untrusted text into error messages, bounding the raw device text
/// carried by a poe::Error.

#include <cstddef>
#include <string>
#include <string_view>

namespace poe::ios {

/// Largest switch output the parsers accept (1 MiB).
inline constexpr std::size_t max_output_bytes = std::size_t{1024} * 1024;
/// Most raw device text an Error carries (8 KiB).
inline constexpr std::size_t max_device_text_bytes = std::size_t{8} * 1024;

/// Blank in the sense of IOS output: space, tab, CR (stray CRs must never
/// make a line look non-empty).
constexpr bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r';
}

/// ASCII decimal digit.
constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

/// ASCII letter (locale-independent, unlike std::isalpha).
constexpr bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// ASCII lower case; other bytes unchanged.
constexpr char to_lower_ascii(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` without leading blanks (see is_blank()).
constexpr std::string_view trim_left(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && is_blank(s[i])) {
        ++i;
    }
    return s.substr(i);
}

/// `s` without trailing blanks (see is_blank()).
constexpr std::string_view trim_right(std::string_view s) noexcept {
    std::size_t n = s.size();
    while (n > 0 && is_blank(s[n - 1])) {
        --n;
    }
    return s.substr(0, n);
}

/// `s` without leading and trailing blanks.
constexpr std::string_view trim(std::string_view s) noexcept {
    return trim_right(trim_left(s));
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) {
            return false;
        }
    }
    return true;
}

/// ASCII case-insensitive prefix test.
constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

/// `text` in double quotes for an error message: at most `max_bytes` of it
/// (then "..."), control and non-ASCII bytes as \xNN so a message stays one
/// printable line whatever the switch or user sent.
std::string quote_for_message(std::string_view text, std::size_t max_bytes = 80);

/// The raw device text an Error carries: `text`, or when longer than
/// max_device_text_bytes its start plus a marker giving the full size, at
/// most max_device_text_bytes in all.
std::string device_text_excerpt(std::string_view text);

}  // namespace poe::ios

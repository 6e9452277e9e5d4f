#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ios_sim {

/// Splits a control line into words; "double" or 'single' quotes group words
/// and a backslash escapes the next character. nullopt on an unclosed quote.
std::optional<std::vector<std::string>> split_quoted(std::string_view line);

/// Parses a non-negative decimal integer (the whole text).
std::optional<long long> parse_non_negative(std::string_view text);

}  // namespace ios_sim

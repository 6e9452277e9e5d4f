#include "quoted_words.hpp"

#include <charconv>

namespace ios_sim {

std::optional<std::vector<std::string>> split_quoted(std::string_view line) {
    std::vector<std::string> words;
    std::string current;
    bool in_word = false;
    char quote = '\0';
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\\' && i + 1 < line.size()) {
            current += line[++i];
            in_word = true;
        } else if (quote != '\0') {
            if (c == quote) {
                quote = '\0';
            } else {
                current += c;
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (in_word) {
                words.push_back(std::move(current));
                current.clear();
                in_word = false;
            }
        } else {
            current += c;
            in_word = true;
        }
    }
    if (quote != '\0') {
        return std::nullopt;
    }
    if (in_word) {
        words.push_back(std::move(current));
    }
    return words;
}

std::optional<long long> parse_non_negative(std::string_view text) {
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace ios_sim

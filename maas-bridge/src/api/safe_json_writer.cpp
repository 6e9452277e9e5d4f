// SPDX-License-Identifier: Apache-2.0
#include "api/safe_json_writer.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>

namespace maas_bridge {
namespace {

constexpr std::array<std::string_view, 3> trigger_words{"status", "running", "stopped"};

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_trigger_word(std::string_view text, std::size_t at) {
    for (const auto word : trigger_words) {
        if (text.size() - at < word.size()) {
            continue;
        }
        bool same = true;
        for (std::size_t i = 0; i < word.size() && same; ++i) {
            same = lower(text[at + i]) == word[i];
        }
        if (same) {
            return true;
        }
    }
    return false;
}

void append_unicode_escape(std::string& out, unsigned code_unit) {
    constexpr std::string_view hex = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out += hex[(code_unit >> static_cast<unsigned>(shift)) & 0xfU];
    }
}

// Length of the valid UTF-8 sequence starting at `at`, or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    std::size_t length = 0;
    unsigned min_code = 0;
    unsigned code = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        code = lead & 0x1fU;
        min_code = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        code = lead & 0x0fU;
        min_code = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        code = lead & 0x07U;
        min_code = 0x10000;
    } else {
        return 0;
    }
    if (text.size() - at < length) {
        return 0;
    }
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xc0U) != 0x80U) {
            return 0;
        }
        code = (code << 6U) | (byte(at + i) & 0x3fU);
    }
    if (code < min_code || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return 0;
    }
    return length;
}

}  // namespace

void append_defused_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            const std::size_t length = utf8_sequence_length(text, i);
            if (length == 0) {
                out += "\\ufffd";
                continue;
            }
            out.append(text.substr(i, length));
            i += length - 1;
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte == 0x7f || starts_trigger_word(text, i)) {
            append_unicode_escape(out, byte);
        } else {
            out += c;
        }
    }
    out += '"';
}

void SafeJsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) {
            out_ += ',';
        }
        first_.back() = false;
    }
}

SafeJsonWriter& SafeJsonWriter::begin_object() {
    separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

SafeJsonWriter& SafeJsonWriter::end_object() {
    assert(!first_.empty());
    first_.pop_back();
    out_ += '}';
    return *this;
}

SafeJsonWriter& SafeJsonWriter::begin_array() {
    separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

SafeJsonWriter& SafeJsonWriter::end_array() {
    assert(!first_.empty());
    first_.pop_back();
    out_ += ']';
    return *this;
}

SafeJsonWriter& SafeJsonWriter::key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;
    out_ += "\":";
    after_key_ = true;
    return *this;
}

SafeJsonWriter& SafeJsonWriter::string(std::string_view text) {
    separate();
    append_defused_json_string(out_, text);
    return *this;
}

SafeJsonWriter& SafeJsonWriter::verbatim_string(std::string_view word) {
    separate();
    out_ += '"';
    out_ += word;
    out_ += '"';
    return *this;
}

SafeJsonWriter& SafeJsonWriter::number(double value) {
    if (!std::isfinite(value)) {
        return null();
    }
    separate();
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    const std::string_view text(buffer.data(),
                                ec == std::errc{} ? static_cast<std::size_t>(end - buffer.data()) : 0);
    out_ += text.empty() ? "0" : text;
    // Keep watts recognisably fractional: 30 → 30.0.
    if (!text.empty() && text.find_first_of(".e") == std::string_view::npos) {
        out_ += ".0";
    }
    return *this;
}

SafeJsonWriter& SafeJsonWriter::integer(std::int64_t value) {
    separate();
    out_ += std::to_string(value);
    return *this;
}

SafeJsonWriter& SafeJsonWriter::boolean(bool value) {
    separate();
    out_ += value ? "true" : "false";
    return *this;
}

SafeJsonWriter& SafeJsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}

SafeJsonWriter& SafeJsonWriter::optional_string(const std::optional<std::string>& text) {
    return text ? string(*text) : null();
}

}  // namespace maas_bridge

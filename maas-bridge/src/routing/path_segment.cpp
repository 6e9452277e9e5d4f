// SPDX-License-Identifier: Apache-2.0
#include "routing/path_segment.hpp"

#include <optional>

namespace maas_bridge {
namespace {

std::optional<int> hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return std::nullopt;
}

poe::Error bad(std::string_view why) {
    return poe::make_error(poe::ErrorCode::invalid_argument, "bad path segment: " + std::string(why));
}

}  // namespace

poe::Result<std::string> decode_path_segment(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
            const auto high = i + 1 < raw.size() ? hex_value(raw[i + 1]) : std::nullopt;
            const auto low = i + 2 < raw.size() ? hex_value(raw[i + 2]) : std::nullopt;
            if (!high || !low) {
                return bad("\"%\" must be followed by two hex digits");
            }
            c = static_cast<char>(*high * 16 + *low);
            i += 2;
        }
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return bad("control characters are not allowed");
        }
        out += c;
        if (out.size() > max_segment_chars) {
            return bad("longer than " + std::to_string(max_segment_chars) + " characters");
        }
    }
    if (out.find("..") != std::string::npos || out == ".") {
        return bad("\".\" and \"..\" are not allowed");
    }
    return out;
}

}  // namespace maas_bridge

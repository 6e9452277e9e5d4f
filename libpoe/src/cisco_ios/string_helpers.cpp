// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/string_helpers.hpp"

namespace poe::ios {

std::string quote_for_message(std::string_view text, std::size_t max_bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    const bool cut = text.size() > max_bytes;
    if (cut) {
        text = text.substr(0, max_bytes);
    }
    std::string out;
    out.reserve(text.size() + 8);
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
            out += "\\x";
            out += hex[byte >> 4U];
            out += hex[byte & 0x0fU];
        } else {
            out += c;
        }
    }
    out += '"';
    if (cut) {
        out += "...";
    }
    return out;
}

std::string device_text_excerpt(std::string_view text) {
    if (text.size() <= max_device_text_bytes) {
        return std::string(text);
    }
    // The marker counts against the limit, so consumers can rely on it.
    const std::string marker = "\n[... " + std::to_string(text.size()) + " bytes in all, the rest not shown]";
    std::string out(text.substr(0, max_device_text_bytes - marker.size()));
    out += marker;
    return out;
}

}  // namespace poe::ios

// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/host_key_policy.hpp"

#include "cisco_ios/string_helpers.hpp"
#include "logging.hpp"

#include <array>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace poe::ios {
namespace {

std::string errno_text() {
    return std::error_code(errno, std::generic_category()).message();
}

// ---- SHA-1 and HMAC-SHA1, for hashed known_hosts entries (`|1|salt|hash`).
// OpenSSH's format fixes the algorithm; a few dozen lines here keep this
// file free of libssh and libcrypto.

using Sha1Digest = std::array<std::uint8_t, 20>;

std::uint32_t rotl(std::uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

Sha1Digest sha1(std::string_view data) {
    std::uint32_t h0 = 0x67452301;
    std::uint32_t h1 = 0xEFCDAB89;
    std::uint32_t h2 = 0x98BADCFE;
    std::uint32_t h3 = 0x10325476;
    std::uint32_t h4 = 0xC3D2E1F0;

    std::string msg(data);
    const std::uint64_t bit_length = static_cast<std::uint64_t>(data.size()) * 8;
    msg += '\x80';
    while (msg.size() % 64 != 56) {
        msg += '\0';
    }
    for (int i = 7; i >= 0; --i) {
        msg += static_cast<char>((bit_length >> (i * 8)) & 0xff);
    }

    for (std::size_t chunk = 0; chunk < msg.size(); chunk += 64) {
        std::array<std::uint32_t, 80> w{};
        for (std::size_t i = 0; i < 16; ++i) {
            const auto byte = [&](std::size_t k) {
                return static_cast<std::uint32_t>(static_cast<unsigned char>(msg[chunk + i * 4 + k]));
            };
            w[i] = (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
        }
        for (std::size_t i = 16; i < 80; ++i) {
            w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        std::uint32_t a = h0;
        std::uint32_t b = h1;
        std::uint32_t c = h2;
        std::uint32_t d = h3;
        std::uint32_t e = h4;
        for (std::size_t i = 0; i < 80; ++i) {
            std::uint32_t f = 0;
            std::uint32_t k = 0;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            const std::uint32_t temp = rotl(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rotl(b, 30);
            b = a;
            a = temp;
        }
        h0 += a;
        h1 += b;
        h2 += c;
        h3 += d;
        h4 += e;
    }
    Sha1Digest out{};
    const std::array<std::uint32_t, 5> h{h0, h1, h2, h3, h4};
    for (std::size_t i = 0; i < 5; ++i) {
        out[i * 4] = static_cast<std::uint8_t>(h[i] >> 24);
        out[i * 4 + 1] = static_cast<std::uint8_t>(h[i] >> 16);
        out[i * 4 + 2] = static_cast<std::uint8_t>(h[i] >> 8);
        out[i * 4 + 3] = static_cast<std::uint8_t>(h[i]);
    }
    return out;
}

std::string hmac_sha1(std::string_view key, std::string_view message) {
    constexpr std::size_t block = 64;
    std::string k(key);
    if (k.size() > block) {
        const auto digest = sha1(k);
        k.assign(digest.begin(), digest.end());
    }
    k.resize(block, '\0');
    std::string inner(block, '\0');
    std::string outer(block, '\0');
    for (std::size_t i = 0; i < block; ++i) {
        inner[i] = static_cast<char>(k[i] ^ 0x36);
        outer[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    inner.append(message);
    const auto inner_digest = sha1(inner);
    outer.append(inner_digest.begin(), inner_digest.end());
    const auto digest = sha1(outer);
    return std::string(digest.begin(), digest.end());
}

// ---- base64 (standard alphabet; padding optional, as in fingerprints).

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

std::optional<std::string> base64_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int value = base64_value(c);
        if (value < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

// ---- known_hosts host patterns.

bool wildcard_match(std::string_view pattern, std::string_view text) {
    // Iterative glob with backtracking to the last '*'.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() &&
            (pattern[p] == '?' || to_lower_ascii(pattern[p]) == to_lower_ascii(text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_t = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_t;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

bool hashed_match(std::string_view entry, std::string_view name) {
    // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
    entry.remove_prefix(3);
    const std::size_t bar = entry.find('|');
    if (bar == std::string_view::npos) {
        return false;
    }
    const auto salt = base64_decode(entry.substr(0, bar));
    const auto hash = base64_decode(entry.substr(bar + 1));
    if (!salt || !hash || hash->size() != 20) {
        return false;
    }
    return hmac_sha1(*salt, name) == *hash;
}

// True when the comma-separated host field names `name`: some positive
// pattern matches and no negated one does.
bool hosts_match(std::string_view field, std::string_view name) {
    if (field.starts_with("|1|")) {
        return hashed_match(field, name);
    }
    bool matched = false;
    while (!field.empty()) {
        const std::size_t comma = field.find(',');
        std::string_view pattern = field.substr(0, comma);
        field = comma == std::string_view::npos ? std::string_view{} : field.substr(comma + 1);
        const bool negated = pattern.starts_with('!');
        if (negated) {
            pattern.remove_prefix(1);
        }
        if (pattern.empty() || !wildcard_match(pattern, name)) {
            continue;
        }
        if (negated) {
            return false;
        }
        matched = true;
    }
    return matched;
}

enum class Marker { none, revoked, cert_authority };

struct KnownHostEntry {
    std::size_t line{0};
    Marker marker{Marker::none};
    std::string type;
    std::string blob;  // decoded key blob
};

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && !is_blank(line[i])) {
            ++i;
        }
        if (i > start) {
            fields.push_back(line.substr(start, i - start));
        }
    }
    return fields;
}

struct FileRead {
    bool exists{false};
    std::string text;
};

Result<FileRead> read_known_hosts(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) {
            return FileRead{};
        }
        return make_error(ErrorCode::host_key_mismatch,
                          "cannot read known_hosts file " + path + ": " + errno_text());
    }
    FileRead result;
    result.exists = true;
    std::array<char, 8192> chunk{};
    while (in) {
        in.read(chunk.data(), chunk.size());
        result.text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
        if (result.text.size() > max_known_hosts_bytes) {
            return make_error(ErrorCode::host_key_mismatch,
                              "known_hosts file " + path + " is larger than 16 MiB; refusing to read it");
        }
    }
    return result;
}

// Every entry of `text` whose host field names `name`.
std::vector<KnownHostEntry> entries_for(std::string_view text, std::string_view name) {
    std::vector<KnownHostEntry> entries;
    std::size_t line_number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        ++line_number;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        auto fields = split_fields(line);
        Marker marker = Marker::none;
        if (!fields.empty() && fields.front().starts_with('@')) {
            if (fields.front() == "@revoked") {
                marker = Marker::revoked;
            } else if (fields.front() == "@cert-authority") {
                marker = Marker::cert_authority;
            } else {
                continue;
            }
            fields.erase(fields.begin());
        }
        if (fields.size() < 3 || !hosts_match(fields[0], name)) {
            continue;
        }
        auto blob = base64_decode(fields[2]);
        if (!blob) {
            continue;  // OpenSSH skips malformed lines too
        }
        entries.push_back({line_number, marker, std::string(fields[1]), std::move(*blob)});
    }
    return entries;
}

// "SHA256:abc" with optional padding and case of the prefix → "SHA256:abc";
// empty when it is not a SHA256 fingerprint.
std::string normalize_fingerprint(std::string_view text) {
    text = trim(text);
    if (!istarts_with(text, "SHA256:")) {
        return {};
    }
    std::string_view body = text.substr(7);
    while (!body.empty() && body.back() == '=') {
        body.remove_suffix(1);
    }
    const auto bytes = base64_decode(body);
    if (!bytes || bytes->size() != 32) {
        return {};
    }
    return "SHA256:" + std::string(body);
}

std::string describe(const PresentedHostKey& key) {
    return key.type + " " + key.fingerprint;
}

Result<void> record_key(const std::string& path, bool file_exists, std::string_view existing_text,
                        std::string_view host, std::uint16_t port, const PresentedHostKey& key) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    if (!out) {
        return make_error(ErrorCode::host_key_mismatch,
                          "host key of " + HostKeyPolicy::known_hosts_name(host, port) +
                              " is unknown and cannot be recorded: cannot open " + path + ": " +
                              errno_text());
    }
    if (file_exists && !existing_text.empty() && existing_text.back() != '\n') {
        out << '\n';
    }
    out << HostKeyPolicy::known_hosts_line(host, port, key);
    out.flush();
    if (!out) {
        return make_error(ErrorCode::host_key_mismatch,
                          "host key of " + HostKeyPolicy::known_hosts_name(host, port) +
                              " is unknown and cannot be recorded: writing " + path + " failed");
    }
    return success();
}

}  // namespace

std::optional<HostKeyCheck> parse_host_key_check(std::string_view text) noexcept {
    if (text == "strict") {
        return HostKeyCheck::strict;
    }
    if (text == "accept-new") {
        return HostKeyCheck::accept_new;
    }
    if (text == "off") {
        return HostKeyCheck::off;
    }
    return std::nullopt;
}

std::string_view to_string(HostKeyCheck check) noexcept {
    switch (check) {
        case HostKeyCheck::strict:
            return "strict";
        case HostKeyCheck::accept_new:
            return "accept-new";
        case HostKeyCheck::off:
            return "off";
    }
    return "strict";
}

Result<HostKeyPolicy> HostKeyPolicy::create(HostKeyPolicyOptions options) {
    if (!options.fingerprint.empty()) {
        std::string normalized = normalize_fingerprint(options.fingerprint);
        if (normalized.empty()) {
            return make_error(
                ErrorCode::invalid_argument,
                "option \"host_key_fingerprint\": expected SHA256:<base64 of 32 bytes> as printed by "
                "`ssh-keygen -lf`, got " +
                    quote_for_message(options.fingerprint));
        }
        options.fingerprint = std::move(normalized);
    }
    if (options.check == HostKeyCheck::strict && options.known_hosts.empty() && options.fingerprint.empty()) {
        return make_error(
            ErrorCode::invalid_argument,
            "host_key_policy is strict but neither \"known_hosts\" nor \"host_key_fingerprint\" is "
            "set: set one of them (run `poectl trust` to fetch and record the switch's key), or set "
            "host_key_policy to accept-new or off");
    }
    if (options.check == HostKeyCheck::accept_new && options.known_hosts.empty()) {
        return make_error(ErrorCode::invalid_argument,
                          "host_key_policy accept-new needs \"known_hosts\": the file to record new keys in");
    }
    return HostKeyPolicy(std::move(options));
}

std::string HostKeyPolicy::known_hosts_name(std::string_view host, std::uint16_t port) {
    if (port == 22) {
        return std::string(host);
    }
    return "[" + std::string(host) + "]:" + std::to_string(port);
}

std::string HostKeyPolicy::known_hosts_line(std::string_view host, std::uint16_t port,
                                            const PresentedHostKey& key) {
    return known_hosts_name(host, port) + " " + key.type + " " + key.base64 + "\n";
}

std::vector<std::string> HostKeyPolicy::known_key_types(std::string_view host, std::uint16_t port) const {
    std::vector<std::string> types;
    if (options_.known_hosts.empty() || options_.check == HostKeyCheck::off) {
        return types;
    }
    auto file = read_known_hosts(options_.known_hosts);
    if (!file || !file->exists) {
        return types;
    }
    for (const auto& entry : entries_for(file->text, known_hosts_name(host, port))) {
        if (entry.marker != Marker::none) {
            continue;
        }
        bool seen = false;
        for (const auto& type : types) {
            seen = seen || type == entry.type;
        }
        if (!seen) {
            types.push_back(entry.type);
        }
    }
    return types;
}

Result<void> HostKeyPolicy::verify(std::string_view host, std::uint16_t port,
                                   const PresentedHostKey& key) const {
    const std::string name = known_hosts_name(host, port);
    if (options_.check == HostKeyCheck::off) {
        detail::log(LogLevel::warn, "cisco-ios: host key checking is off for ", name, ": accepting ",
                    describe(key), " unverified");
        return success();
    }
    if (!options_.fingerprint.empty()) {
        if (normalize_fingerprint(key.fingerprint) == options_.fingerprint) {
            return success();
        }
        return make_error(ErrorCode::host_key_mismatch,
                          "host key of " + name + " does not match host_key_fingerprint " +
                              options_.fingerprint + ": the switch presented " + describe(key));
    }

    const std::string& path = options_.known_hosts;
    auto file = read_known_hosts(path);
    if (!file) {
        return std::move(file).error();
    }
    const auto presented_blob = base64_decode(key.base64);
    if (!presented_blob) {
        return make_error(ErrorCode::internal, "host key of " + name + " could not be decoded");
    }
    const auto entries = entries_for(file->text, name);
    const KnownHostEntry* conflict = nullptr;
    bool known = false;
    for (const auto& entry : entries) {
        if (entry.marker == Marker::cert_authority) {
            continue;
        }
        const bool same = entry.blob == *presented_blob;
        if (entry.marker == Marker::revoked) {
            if (same) {
                std::string message = "host key of " + name;
                message += " is marked @revoked at " + path + ":" + std::to_string(entry.line);
                message += ": the switch presented " + describe(key);
                return make_error(ErrorCode::host_key_mismatch, std::move(message));
            }
            continue;
        }
        if (same) {
            known = true;
        } else if (conflict == nullptr) {
            conflict = &entry;
        }
    }
    if (known) {
        // A second line with an older key may remain after a re-key; the
        // matching line is what OpenSSH accepts too.
        return success();
    }
    if (conflict != nullptr) {
        return make_error(
            ErrorCode::host_key_mismatch,
            "HOST KEY CHANGED for " + name + ": the switch presented " + describe(key) + ", but " + path +
                ":" + std::to_string(conflict->line) + " holds a different " + conflict->type +
                " key for it (possible man-in-the-middle; if the switch was re-keyed, remove that "
                "line and run `poectl trust`)");
    }
    if (options_.check == HostKeyCheck::accept_new) {
        if (auto recorded = record_key(path, file->exists, file->text, host, port, key); !recorded) {
            return recorded;
        }
        detail::log(LogLevel::info, "cisco-ios: recorded new host key of ", name, " (", describe(key),
                    ") in ", path);
        return success();
    }
    return make_error(ErrorCode::host_key_mismatch,
                      "host key of " + name + " is unknown: " + path +
                          " has no entry for it (the switch presented " + describe(key) +
                          "); run `poectl trust` or use host_key_policy accept-new");
}

}  // namespace poe::ios

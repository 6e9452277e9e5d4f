// SPDX-License-Identifier: Apache-2.0
#include "auth/authenticator.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <optional>

namespace maas_bridge {
namespace {

// Longest Authorization value looked at; longer ones are rejected unread.
constexpr std::size_t max_authorization_chars = 4096;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

AuthVerdict rejected() {
    return AuthVerdict{AuthVerdict::Kind::rejected, "-"};
}

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

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        unsigned bits = 0;
        int padding = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            if (c == '=' && last && j >= 2) {
                ++padding;
                bits <<= 6U;
                continue;
            }
            const int value = base64_value(c);
            if (value < 0 || padding > 0) {
                return std::nullopt;
            }
            bits = (bits << 6U) | static_cast<unsigned>(value);
        }
        out += static_cast<char>((bits >> 16U) & 0xffU);
        if (padding < 2) {
            out += static_cast<char>((bits >> 8U) & 0xffU);
        }
        if (padding < 1) {
            out += static_cast<char>(bits & 0xffU);
        }
    }
    return out;
}

std::optional<Authenticator::Digest> Authenticator::digest(std::string_view text) {
    Digest out{};
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != out.size()) {
        return std::nullopt;
    }
    return out;
}

Authenticator::Authenticator(const AuthConfig& config) : open_(config.mode != AuthConfig::Mode::credentials) {
    // An entry whose digest cannot be computed (OpenSSL failure) can never match.
    for (const auto& token : config.tokens) {
        if (const auto d = digest(token.secret)) {
            tokens_.push_back(Token{token.name, *d});
        }
    }
    for (const auto& user : config.users) {
        const auto name = digest(user.name);
        const auto password = digest(user.secret);
        if (name && password) {
            users_.push_back(User{user.name, *name, *password});
        }
    }
}

AuthVerdict Authenticator::check(std::string_view authorization) const {
    if (open_) {
        return AuthVerdict{AuthVerdict::Kind::accepted, "-"};
    }
    while (!authorization.empty() && (authorization.front() == ' ' || authorization.front() == '\t')) {
        authorization.remove_prefix(1);
    }
    if (authorization.empty()) {
        return AuthVerdict{AuthVerdict::Kind::missing, "-"};
    }
    if (authorization.size() > max_authorization_chars) {
        return AuthVerdict{AuthVerdict::Kind::rejected, "-"};
    }
    const auto space = authorization.find(' ');
    const std::string_view scheme = authorization.substr(0, space);
    std::string_view credentials =
        space == std::string_view::npos ? std::string_view{} : authorization.substr(space);
    while (!credentials.empty() && credentials.front() == ' ') {
        credentials.remove_prefix(1);
    }
    while (!credentials.empty() && (credentials.back() == ' ' || credentials.back() == '\t')) {
        credentials.remove_suffix(1);
    }

    // Every configured entry is compared, with no early exit, so which one
    // matched (if any) does not show in the timing.
    if (iequals(scheme, "Bearer")) {
        if (credentials.empty()) {
            return rejected();
        }
        const auto given = digest(credentials);
        if (!given) {
            return rejected();
        }
        const Token* match = nullptr;
        for (const auto& token : tokens_) {
            const bool same = CRYPTO_memcmp(given->data(), token.digest.data(), given->size()) == 0;
            match = same && match == nullptr ? &token : match;
        }
        return match != nullptr ? AuthVerdict{AuthVerdict::Kind::accepted, match->name} : rejected();
    }
    if (iequals(scheme, "Basic")) {
        const auto decoded = decode_base64(credentials);
        if (!decoded) {
            return rejected();
        }
        const auto colon = decoded->find(':');
        if (colon == std::string::npos) {
            return rejected();
        }
        const auto user = digest(std::string_view(*decoded).substr(0, colon));
        const auto password = digest(std::string_view(*decoded).substr(colon + 1));
        if (!user || !password) {
            return rejected();
        }
        const User* match = nullptr;
        for (const auto& entry : users_) {
            const bool same_user = CRYPTO_memcmp(user->data(), entry.user_digest.data(), user->size()) == 0;
            const bool same_password =
                CRYPTO_memcmp(password->data(), entry.password_digest.data(), password->size()) == 0;
            match = same_user && same_password && match == nullptr ? &entry : match;
        }
        return match != nullptr ? AuthVerdict{AuthVerdict::Kind::accepted, match->name} : rejected();
    }
    return AuthVerdict{AuthVerdict::Kind::missing, "-"};
}

}  // namespace maas_bridge

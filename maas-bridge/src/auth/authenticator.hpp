// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Checks the Authorization header against the configured tokens and users.

#include "config/bridge_config.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maas_bridge {

/// Result of checking one request's credentials.
struct AuthVerdict {
    enum class Kind {
        accepted,  ///< Valid credentials, or authentication is off.
        missing,   ///< No (usable) Authorization header.
        rejected,  ///< Credentials given but wrong.
    };
    Kind kind{Kind::missing};
    /// Configured name of the token/user that matched (for logs), "-" when
    /// authentication is off or failed. Never the secret.
    std::string identity{"-"};

    [[nodiscard]] bool ok() const noexcept { return kind == Kind::accepted; }
};

/// Bearer tokens and Basic users. Secrets are kept only as SHA-256 digests
/// and compared with CRYPTO_memcmp over every configured entry, so the time
/// taken depends neither on the secrets' lengths nor on how much of a guess
/// is right. Thread-safety: immutable; check() may be called concurrently.
class Authenticator {
public:
    /// Modes `unset` and `none` accept every request.
    explicit Authenticator(const AuthConfig& config);

    /// Checks an Authorization header value ("" when absent):
    /// "Bearer <token>" or "Basic <base64(user:password)>" (scheme names
    /// are case-insensitive).
    [[nodiscard]] AuthVerdict check(std::string_view authorization) const;

    /// True when no credentials are required.
    [[nodiscard]] bool open() const noexcept { return open_; }

private:
    using Digest = std::array<unsigned char, 32>;
    struct Token {
        std::string name;
        Digest digest;
    };
    struct User {
        std::string name;
        Digest user_digest;
        Digest password_digest;
    };

    static std::optional<Digest> digest(std::string_view text);

    bool open_{false};
    std::vector<Token> tokens_;
    std::vector<User> users_;
};

/// Strict standard base64 (with padding) decoding; empty on bad input.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// An HTTP error answer before it is rendered to JSON.

#include <poe/error.hpp>

#include <optional>
#include <string>

namespace maas_bridge {

/// Rendered as {"error":{"code":...,"message":...,"device_text":...}}.
struct ApiError {
    unsigned status{500};
    std::string code;         ///< poe::ErrorCode name or a bridge code ("unknown_machine").
    std::string message;      ///< One line for humans; never a secret.
    std::string device_text;  ///< Raw switch output, if any (truncated when rendered).
    std::string allow;        ///< For 405: the Allow header value.
    std::optional<unsigned> retry_after_seconds;  ///< For 503: the Retry-After header value.

    friend bool operator==(const ApiError&, const ApiError&) = default;
};

/// The one place where a libpoe error code becomes an HTTP status:
/// invalid_argument 400; unknown_switch, unknown_port 422; unsupported 501;
/// connect_failed, connection_lost, device_rejected, parse_error,
/// auth_failed, host_key_mismatch 502; timeout 504; busy, unavailable,
/// cancelled 503; internal 500.
unsigned http_status_for(poe::ErrorCode code) noexcept;

/// Seconds to put in Retry-After for this code (busy, unavailable), if any.
std::optional<unsigned> retry_after_for(poe::ErrorCode code) noexcept;

/// Maps a libpoe error to its HTTP answer.
ApiError to_api_error(const poe::Error& error);

}  // namespace maas_bridge

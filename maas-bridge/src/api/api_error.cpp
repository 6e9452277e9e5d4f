// SPDX-License-Identifier: Apache-2.0
#include "api/api_error.hpp"

namespace maas_bridge {

unsigned http_status_for(poe::ErrorCode code) noexcept {
    using poe::ErrorCode;
    switch (code) {
        case ErrorCode::invalid_argument:
            return 400;
        case ErrorCode::unknown_switch:
        case ErrorCode::unknown_port:
            return 422;
        case ErrorCode::unsupported:
            return 501;
        case ErrorCode::connect_failed:
        case ErrorCode::connection_lost:
        case ErrorCode::device_rejected:
        case ErrorCode::parse_error:
        case ErrorCode::auth_failed:
        case ErrorCode::host_key_mismatch:
            return 502;
        case ErrorCode::timeout:
            return 504;
        case ErrorCode::busy:
        case ErrorCode::unavailable:
        case ErrorCode::cancelled:
            return 503;
        case ErrorCode::internal:
            return 500;
    }
    return 500;
}

std::optional<unsigned> retry_after_for(poe::ErrorCode code) noexcept {
    // Long enough for a circuit breaker's first backoff or a login budget
    // to recover, short enough for MAAS's confirm loop.
    if (code == poe::ErrorCode::busy || code == poe::ErrorCode::unavailable) {
        return 5;
    }
    return std::nullopt;
}

ApiError to_api_error(const poe::Error& error) {
    ApiError out;
    out.status = http_status_for(error.code);
    out.code = std::string(poe::to_string(error.code));
    // libpoe's deadline messages name the operation ("off of Gi1/0/6:
    // deadline passed"); say what it means for the caller.
    out.message = error.code == poe::ErrorCode::timeout
                      ? "the switch did not answer before the request deadline (" + error.message + ")"
                      : error.message;
    out.device_text = error.device_text;
    out.retry_after_seconds = retry_after_for(error.code);
    return out;
}

}  // namespace maas_bridge

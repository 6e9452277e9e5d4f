// SPDX-License-Identifier: Apache-2.0
#include <poe/error.hpp>

namespace poe {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::invalid_argument:
            return "invalid_argument";
        case ErrorCode::unknown_switch:
            return "unknown_switch";
        case ErrorCode::unknown_port:
            return "unknown_port";
        case ErrorCode::unsupported:
            return "unsupported";
        case ErrorCode::connect_failed:
            return "connect_failed";
        case ErrorCode::connection_lost:
            return "connection_lost";
        case ErrorCode::auth_failed:
            return "auth_failed";
        case ErrorCode::host_key_mismatch:
            return "host_key_mismatch";
        case ErrorCode::timeout:
            return "timeout";
        case ErrorCode::device_rejected:
            return "device_rejected";
        case ErrorCode::parse_error:
            return "parse_error";
        case ErrorCode::busy:
            return "busy";
        case ErrorCode::unavailable:
            return "unavailable";
        case ErrorCode::cancelled:
            return "cancelled";
        case ErrorCode::internal:
            return "internal";
    }
    return "internal";
}

}  // namespace poe

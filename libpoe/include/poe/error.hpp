// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Backend-neutral error values. Every fallible libpoe call returns one of
/// these inside a poe::Result; no exception ever crosses the library API.

#include <poe/export.hpp>

#include <string>
#include <string_view>

namespace poe {

/// The closed set of things that can go wrong. Callers switch on this; the
/// bridge maps each code to exactly one HTTP status.
enum class ErrorCode {
    invalid_argument,   ///< Caller passed something malformed (bad option, bad port syntax).
    unknown_switch,     ///< No switch with that id.
    unknown_port,       ///< The switch has no (PoE-capable) port of that name.
    unsupported,        ///< The driver cannot do this (e.g. save config on the fake driver).
    connect_failed,     ///< TCP/SSH connection could not be established.
    connection_lost,    ///< An established session dropped mid-operation.
    auth_failed,        ///< Login or enable refused.
    host_key_mismatch,  ///< The switch's host key is not the one we trust.
    timeout,            ///< The caller's deadline passed.
    device_rejected,    ///< The switch answered with an error (text in Error::device_text).
    parse_error,        ///< The switch answered with output we do not understand.
    busy,               ///< Too many queued requests, or the login budget is spent.
    unavailable,        ///< The switch is marked down (circuit open); retry later.
    cancelled,          ///< The controller is shutting down.
    internal,           ///< A bug in libpoe; please report it.
};

/// Stable lower_snake name of a code, e.g. "host_key_mismatch".
POE_API std::string_view to_string(ErrorCode code) noexcept;

/// An error: what kind, a one-line message for humans, and the raw device
/// text that caused it (empty when there is none). Messages never contain
/// secrets.
struct Error {
    ErrorCode code{ErrorCode::internal};
    std::string message;
    std::string device_text;
};

/// Convenience constructor.
inline Error make_error(ErrorCode code, std::string message, std::string device_text = {}) {
    return Error{code, std::move(message), std::move(device_text)};
}

}  // namespace poe

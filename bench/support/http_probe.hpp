// SPDX-License-Identifier: Apache-2.0
#pragma once

// A minimal blocking HTTP/1.1 client for loopback measurements: one new
// connection per request and `Connection: close`, as MAAS's webhook driver
// sends its requests. Every wait is bounded by the timeout.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace poe_bench {

struct HttpResult {
    bool ok{false};  ///< A complete response arrived (any status).
    int status{0};
    std::string body;
    std::string error;                                ///< Why ok is false.
    double micros{0.0};                               ///< From socket() to the last byte of the body.
    std::chrono::steady_clock::time_point started{};  ///< When socket() was called.
    double sent_micros{0.0};                          ///< From socket() until the request was sent.
};

/// Sends `METHOD target` with MAAS's headers (User-Agent, Accept,
/// Connection: close, Content-Length: 0, Bearer token when not empty) to
/// 127.0.0.1:port and reads the response.
HttpResult maas_request(std::uint16_t port, std::string_view method, std::string_view target,
                        std::string_view token, std::chrono::milliseconds timeout);

}  // namespace poe_bench

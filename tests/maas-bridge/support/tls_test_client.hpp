// SPDX-License-Identifier: Apache-2.0
#pragma once

// Clients for the HTTPS tests. Every operation runs asynchronously under a
// deadline (io_context::run_for), so a server that hangs fails the test
// within seconds instead of blocking it.
//
// TlsTestClient: HTTPS over 127.0.0.1 with certificate and host name
// verification, optionally restricted to old protocol versions.
// PlainProbe: a raw TCP connection that sends bytes as given (or nothing)
// and reports whether and how the server ends the connection.

#include "support/http_test_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maas_bridge::testing {

struct TlsClientOptions {
    /// PEM certificates the client trusts (a CA, or a self-signed server
    /// certificate). Empty: trusts nothing.
    std::string trusted_pem;
    /// The name the server's certificate must carry (IP or DNS); also sent
    /// as SNI when it is a DNS name.
    std::string expected_host{"127.0.0.1"};
    /// 0: OpenSSL's default. E.g. TLS1_1_VERSION to act as an old client.
    int min_version{0};
    int max_version{0};
    /// -1: OpenSSL's default; 0 allows the legacy algorithms old TLS needs.
    int security_level{-1};
    std::chrono::milliseconds timeout{std::chrono::seconds(5)};
};

class TlsTestClient {
public:
    TlsTestClient(std::uint16_t port, TlsClientOptions options);

    /// TCP connect and TLS handshake (certificate and host name verified).
    /// @return empty on success, else the error (timed_out after the deadline).
    boost::system::error_code connect();

    /// After connect(): "TLSv1.3" etc.
    [[nodiscard]] std::string protocol();

    /// Writes raw bytes; false on error or timeout.
    bool send(std::string_view bytes);

    /// Reads one response; empty on error, close or timeout.
    std::optional<Response> read_response();

    /// send() + read_response().
    std::optional<Response> exchange(std::string_view request);

    /// Waits for the end of the connection: asio::error::eof when the
    /// server sent close_notify, ssl::error::stream_truncated or a reset
    /// when it just closed TCP, timed_out when it did neither in time.
    /// Data arriving first counts as an error too (returned as
    /// `message_size`).
    boost::system::error_code wait_for_close();

private:
    template <typename Start>
    boost::system::error_code run(Start&& start);

    std::uint16_t port_;
    TlsClientOptions options_;
    boost::asio::io_context io_;
    boost::asio::ssl::context tls_;
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
    boost::beast::flat_buffer buffer_;
};

/// connect() + exchange() on a new connection; empty on any failure.
std::optional<Response> fetch_tls(std::uint16_t port, const TlsClientOptions& options,
                                  std::string_view request);

class PlainProbe {
public:
    /// Connects to 127.0.0.1:port (throws on failure: tests only).
    PlainProbe(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// Writes raw bytes; false on error or timeout.
    bool send(std::string_view bytes);

    /// Reads until the server closes the connection or the deadline
    /// passes. True when it closed (EOF or reset); `received` gets what
    /// came before.
    bool wait_for_close(std::string* received = nullptr);

private:
    std::chrono::milliseconds timeout_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
};

}  // namespace maas_bridge::testing

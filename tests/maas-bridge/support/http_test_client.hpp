// SPDX-License-Identifier: Apache-2.0
#pragma once

// A blocking HTTP/1.x client over a raw TCP socket, for tests: sends bytes
// exactly as given and parses responses with Beast. Every read gives up
// after a few seconds (5 s unless told) so a broken server fails the test
// instead of hanging.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace maas_bridge::testing {

using Response = boost::beast::http::response<boost::beast::http::string_body>;

class HttpTestClient {
public:
    /// Connects to 127.0.0.1:port (throws on failure: tests only). Each
    /// read and write gives up after `timeout`.
    explicit HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// Writes raw bytes.
    void send(std::string_view bytes);

    /// Reads one response; empty when the connection closed or timed out first.
    std::optional<Response> read_response();

    /// True when the server has closed the connection (EOF or reset)
    /// within the read timeout, with no more data.
    bool closed_by_server();

    /// send() + read_response().
    std::optional<Response> exchange(std::string_view request);

private:
    boost::asio::io_context context_;
    boost::asio::ip::tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
};

/// A request as MAAS sends it: Connection: close, Accept: application/json,
/// User-Agent: MAAS, Content-Length: 0 on POST, optional Authorization.
std::string maas_request(std::string_view method, std::string_view target,
                         std::string_view authorization = {});

/// A keep-alive GET.
std::string get_request(std::string_view target, std::string_view authorization = {});

/// One request on a new connection; empty when no complete answer came
/// within `timeout` of the last byte received.
std::optional<Response> fetch(std::uint16_t port, std::string_view request,
                              std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// "Basic base64(user:password)".
std::string basic_auth(std::string_view user, std::string_view password);

}  // namespace maas_bridge::testing

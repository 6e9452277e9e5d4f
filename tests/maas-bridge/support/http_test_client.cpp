// SPDX-License-Identifier: Apache-2.0
#include "support/http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include <array>

#include <sys/socket.h>
#include <sys/time.h>

namespace maas_bridge::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpTestClient::HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout) : socket_(context_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const auto ms = timeout.count();
    const timeval limit{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

void HttpTestClient::send(std::string_view bytes) {
    asio::write(socket_, asio::buffer(bytes.data(), bytes.size()));
}

std::optional<Response> HttpTestClient::read_response() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1024} * 1024);
    boost::system::error_code ec;
    http::read(socket_, buffer_, parser, ec);
    if (ec) {
        return std::nullopt;
    }
    return parser.release();
}

bool HttpTestClient::closed_by_server() {
    if (buffer_.size() > 0) {
        return false;
    }
    std::array<char, 256> sink{};
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(sink), ec);
    return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

std::optional<Response> HttpTestClient::exchange(std::string_view request) {
    send(request);
    return read_response();
}

std::string maas_request(std::string_view method, std::string_view target, std::string_view authorization) {
    std::string out = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
    out += "Host: 127.0.0.1\r\n";
    out += "User-Agent: MAAS 3.5.0\r\n";
    out += "Accept: application/json\r\n";
    out += "Connection: close\r\n";
    out += "System_Id: abc123\r\n";
    if (!authorization.empty()) {
        out += "Authorization: " + std::string(authorization) + "\r\n";
    }
    if (method == "POST") {
        out += "Content-Length: 0\r\n";
    }
    out += "\r\n";
    return out;
}

std::string get_request(std::string_view target, std::string_view authorization) {
    std::string out = "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!authorization.empty()) {
        out += "Authorization: " + std::string(authorization) + "\r\n";
    }
    out += "\r\n";
    return out;
}

std::optional<Response> fetch(std::uint16_t port, std::string_view request,
                              std::chrono::milliseconds timeout) {
    HttpTestClient client(port, timeout);
    return client.exchange(request);
}

std::string basic_auth(std::string_view user, std::string_view password) {
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string text = std::string(user) + ":" + std::string(password);
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 3) {
        unsigned bits = static_cast<unsigned char>(text[i]) << 16U;
        if (i + 1 < text.size()) {
            bits |= static_cast<unsigned>(static_cast<unsigned char>(text[i + 1])) << 8U;
        }
        if (i + 2 < text.size()) {
            bits |= static_cast<unsigned char>(text[i + 2]);
        }
        out += alphabet[(bits >> 18U) & 63U];
        out += alphabet[(bits >> 12U) & 63U];
        out += i + 1 < text.size() ? alphabet[(bits >> 6U) & 63U] : '=';
        out += i + 2 < text.size() ? alphabet[bits & 63U] : '=';
    }
    return "Basic " + out;
}

}  // namespace maas_bridge::testing

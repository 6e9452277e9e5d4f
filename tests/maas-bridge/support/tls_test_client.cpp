// SPDX-License-Identifier: Apache-2.0
#include "support/tls_test_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include <openssl/ssl.h>

#include <array>
#include <stdexcept>

namespace maas_bridge::testing {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

ssl::context make_client_context(const TlsClientOptions& options) {
    ssl::context context(ssl::context::tls_client);
    SSL_CTX* native = context.native_handle();
    if (options.security_level >= 0) {
        SSL_CTX_set_security_level(native, options.security_level);
        // The cipher string's own @SECLEVEL would otherwise win.
        SSL_CTX_set_cipher_list(native,
                                ("DEFAULT:@SECLEVEL=" + std::to_string(options.security_level)).c_str());
    }
    if (options.min_version != 0) {
        SSL_CTX_set_min_proto_version(native, options.min_version);
    }
    if (options.max_version != 0) {
        SSL_CTX_set_max_proto_version(native, options.max_version);
    }
    if (!options.trusted_pem.empty()) {
        context.add_certificate_authority(asio::buffer(options.trusted_pem));
    }
    context.set_verify_mode(ssl::verify_peer);
    context.set_verify_callback(ssl::host_name_verification(options.expected_host));
    return context;
}

}  // namespace

TlsTestClient::TlsTestClient(std::uint16_t port, TlsClientOptions options)
    : port_(port), options_(std::move(options)), tls_(make_client_context(options_)), stream_(io_, tls_) {
}

template <typename Start>
error_code TlsTestClient::run(Start&& start) {
    std::optional<error_code> result;
    start([&result](const error_code& ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run_for(options_.timeout);
    if (!result) {
        error_code ignored;
        stream_.lowest_layer().close(ignored);  // completes the operation with operation_aborted
        io_.restart();
        io_.run();
        return asio::error::timed_out;
    }
    return *result;
}

error_code TlsTestClient::connect() {
    error_code ec = run([this](auto handler) {
        stream_.lowest_layer().async_connect(
            asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), std::move(handler));
    });
    if (ec) {
        return ec;
    }
    error_code not_ip;
    asio::ip::make_address(options_.expected_host, not_ip);
    if (not_ip) {
        // SSL_set_tlsext_host_name without its C cast.
        SSL_ctrl(stream_.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(options_.expected_host.c_str()));
    }
    return run(
        [this](auto handler) { stream_.async_handshake(ssl::stream_base::client, std::move(handler)); });
}

std::string TlsTestClient::protocol() {
    return SSL_get_version(stream_.native_handle());
}

bool TlsTestClient::send(std::string_view bytes) {
    return !run([this, bytes](auto handler) {
        asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
    });
}

std::optional<Response> TlsTestClient::read_response() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1024} * 1024);
    const error_code ec = run(
        [this, &parser](auto handler) { http::async_read(stream_, buffer_, parser, std::move(handler)); });
    if (ec) {
        return std::nullopt;
    }
    return parser.release();
}

std::optional<Response> TlsTestClient::exchange(std::string_view request) {
    if (!send(request)) {
        return std::nullopt;
    }
    return read_response();
}

error_code TlsTestClient::wait_for_close() {
    if (buffer_.size() > 0) {
        return asio::error::message_size;
    }
    std::array<char, 256> sink{};
    std::size_t received = 0;
    const error_code ec = run([this, &sink, &received](auto handler) {
        stream_.async_read_some(asio::buffer(sink), [&received, handler = std::move(handler)](
                                                        const error_code& e, std::size_t n) mutable {
            received = n;
            handler(e);
        });
    });
    if (!ec && received > 0) {
        return asio::error::message_size;
    }
    return ec;
}

std::optional<Response> fetch_tls(std::uint16_t port, const TlsClientOptions& options,
                                  std::string_view request) {
    TlsTestClient client(port, options);
    if (client.connect()) {
        return std::nullopt;
    }
    return client.exchange(request);
}

PlainProbe::PlainProbe(std::uint16_t port, std::chrono::milliseconds timeout)
    : timeout_(timeout), socket_(io_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

bool PlainProbe::send(std::string_view bytes) {
    std::optional<error_code> result;
    asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                      [&result](const error_code& ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run_for(timeout_);
    if (!result) {
        error_code ignored;
        socket_.close(ignored);
        io_.restart();
        io_.run();
        return false;
    }
    return !*result;
}

bool PlainProbe::wait_for_close(std::string* received) {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    std::array<char, 4096> chunk{};
    for (;;) {
        std::optional<error_code> result;
        std::size_t n = 0;
        socket_.async_read_some(asio::buffer(chunk), [&](const error_code& ec, std::size_t bytes) {
            result = ec;
            n = bytes;
        });
        io_.restart();
        io_.run_until(deadline);
        if (!result) {
            error_code ignored;
            socket_.close(ignored);
            io_.restart();
            io_.run();
            return false;
        }
        if (received != nullptr) {
            received->append(chunk.data(), n);
        }
        if (*result) {
            return *result == asio::error::eof || *result == asio::error::connection_reset;
        }
    }
}

}  // namespace maas_bridge::testing

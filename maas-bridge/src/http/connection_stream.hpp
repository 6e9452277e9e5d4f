// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// What differs between an HTTP and an HTTPS connection, and nothing more:
/// the two stream types, the server side of the TLS handshake, and how a
/// connection ends. HTTP parsing, limits and replies are written once, as
/// templates over these streams.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <type_traits>

namespace maas_bridge {

/// Plain HTTP.
using PlainStream = boost::beast::tcp_stream;
/// HTTPS: TLS over the same timed TCP stream, so the read/idle deadlines
/// also bound the handshake and the TLS shutdown.
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <typename Stream>
inline constexpr bool is_tls_stream = std::is_same_v<Stream, TlsStream>;

/// Bytes read and discarded after the last reply, so the kernel does not
/// answer a client's unread data with a reset that destroys that reply.
inline constexpr std::size_t max_drain_bytes = std::size_t{64} * 1024;

/// TLS: the server handshake, which must finish within `timeout`.
/// Plain: nothing to do.
/// @return the handshake's error (beast::error::timeout when too slow).
template <typename Stream>
boost::asio::awaitable<boost::beast::error_code> accept_handshake(Stream& stream,
                                                                  std::chrono::milliseconds timeout) {
    if constexpr (is_tls_stream<Stream>) {
        boost::beast::get_lowest_layer(stream).expires_after(timeout);
        const auto [ec] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server,
                                                          boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return ec;
    } else {
        co_return boost::beast::error_code{};
    }
}

/// Ends a connection after its last reply, waiting up to `timeout` for the
/// client to close its side. Plain: shutdown(send), then read and discard
/// up to max_drain_bytes. TLS: close_notify, then wait for the client's
/// (OpenSSL discards data that arrives in between). Closes the socket.
template <typename Stream>
boost::asio::awaitable<void> close_after_reply(Stream& stream, std::chrono::milliseconds timeout) {
    constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    auto& tcp = boost::beast::get_lowest_layer(stream);
    tcp.expires_after(timeout);
    if constexpr (is_tls_stream<Stream>) {
        co_await stream.async_shutdown(use_tuple);
    } else {
        boost::beast::error_code ec;
        tcp.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
        if (!ec) {
            std::array<char, 4096> sink{};
            std::size_t drained = 0;
            while (drained < max_drain_bytes) {
                const auto [read_error, n] =
                    co_await tcp.async_read_some(boost::asio::buffer(sink), use_tuple);
                if (read_error) {
                    break;
                }
                drained += n;
            }
        }
    }
    tcp.close();
}

/// Ends a connection with no reply pending (idle, or the server stops).
/// TLS: sends close_notify (bounded by `timeout`) without waiting for the
/// client's. Plain: nothing to say. Closes the socket.
template <typename Stream>
boost::asio::awaitable<void> close_idle(Stream& stream, std::chrono::milliseconds timeout) {
    auto& tcp = boost::beast::get_lowest_layer(stream);
    if constexpr (is_tls_stream<Stream>) {
        if (tcp.socket().is_open()) {
            tcp.expires_after(timeout);
            // Treat the client's close_notify as received: SSL_shutdown then
            // only writes ours and completes.
            SSL_set_shutdown(stream.native_handle(),
                             SSL_get_shutdown(stream.native_handle()) | SSL_RECEIVED_SHUTDOWN);
            co_await stream.async_shutdown(boost::asio::as_tuple(boost::asio::use_awaitable));
        }
    } else {
        (void)timeout;
    }
    tcp.close();
}

}  // namespace maas_bridge

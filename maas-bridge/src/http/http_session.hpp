// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One HTTP or HTTPS connection: a coroutine on its own strand that (for
/// HTTPS) completes the TLS handshake, then reads requests (every read with
/// a deadline, header and body size limits), hands them to the
/// RequestHandler and writes the replies in order. One template serves both
/// transports; see connection_stream.hpp for what differs.

#include "api/request_handler.hpp"
#include "config/bridge_config.hpp"
#include "http/connection_stream.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

namespace maas_bridge {

/// What the server holds of a connection, whatever its transport.
///
/// Thread-safety: shutdown() and force_close() may be called from any thread.
class HttpConnection {
public:
    virtual ~HttpConnection() = default;

    /// Graceful stop: an idle, handshaking or half-read connection is
    /// closed now (HTTPS: with a close_notify); a request being processed
    /// is answered (with Connection: close) first.
    virtual void shutdown() = 0;

    /// Ends the connection now, also mid-request (after the shutdown grace).
    virtual void force_close() = 0;

protected:
    HttpConnection() = default;
    HttpConnection(const HttpConnection&) = default;
    HttpConnection& operator=(const HttpConnection&) = default;
};

/// What a session needs from the server that owns it.
class SessionOwner {
public:
    virtual ~SessionOwner() = default;
    /// Called once, on the session's strand, when the connection is done.
    virtual void session_finished(const HttpConnection* session) = 0;
    /// True once the server is draining.
    [[nodiscard]] virtual bool stopping() const = 0;
};

/// `Stream` is PlainStream or TlsStream (explicitly instantiated for both).
///
/// Thread-safety: shutdown() and force_close() may be called from any
/// thread; everything else runs on the session's strand.
template <typename Stream>
class HttpSession final : public HttpConnection, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    /// `stream`'s socket must be bound to a strand of its own.
    HttpSession(Stream stream, std::shared_ptr<const RequestHandler> handler, const Limits& limits,
                SessionOwner& owner);

    /// Serves the connection until it closes; then tells the owner.
    static boost::asio::awaitable<void> run(std::shared_ptr<HttpSession> self);

    void shutdown() override;
    void force_close() override;

    /// The session's strand.
    [[nodiscard]] boost::asio::any_io_executor get_executor() { return stream_.get_executor(); }

private:
    struct CallState;

    boost::asio::awaitable<void> serve();
    boost::asio::awaitable<Reply> await_call(PendingCall call);
    boost::asio::awaitable<bool> write_reply(const Reply& reply, unsigned version, bool keep_alive);
    boost::asio::awaitable<void> close_gracefully();
    void log_handshake_failure(const boost::beast::error_code& ec) const;
    void log_access(std::string_view method, std::string_view target, const Reply& reply,
                    std::chrono::steady_clock::time_point started, std::string_view identity) const;

    Stream stream_;
    std::shared_ptr<const RequestHandler> handler_;
    Limits limits_;
    SessionOwner& owner_;
    std::string remote_;
    // Strand-only state.
    bool in_flight_{false};  // a complete request is being answered
    bool closing_{false};
    std::shared_ptr<CallState> current_call_;
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace maas_bridge

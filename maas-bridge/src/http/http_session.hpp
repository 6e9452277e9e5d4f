// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One HTTP connection: a coroutine on its own strand that reads requests
/// (every read with a deadline, header and body size limits), hands them to
/// the RequestHandler and writes the replies in order.

#include "api/request_handler.hpp"
#include "config/bridge_config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <string>

namespace maas_bridge {

class HttpSession;

/// What a session needs from the server that owns it.
class SessionOwner {
public:
    virtual ~SessionOwner() = default;
    /// Called once, on the session's strand, when the connection is done.
    virtual void session_finished(const HttpSession* session) = 0;
    /// True once the server is draining.
    [[nodiscard]] virtual bool stopping() const = 0;
};

/// Thread-safety: shutdown() and force_close() may be called from any
/// thread; everything else runs on the session's strand.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    /// `socket` must be bound to a strand of its own.
    HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<const RequestHandler> handler,
                const Limits& limits, SessionOwner& owner);

    /// Serves the connection until it closes; then tells the owner.
    static boost::asio::awaitable<void> run(std::shared_ptr<HttpSession> self);

    /// Graceful stop: an idle or half-read connection is closed now; a
    /// request being processed is answered (with Connection: close) first.
    void shutdown();

    /// Ends the connection now, also mid-request (after the shutdown grace).
    void force_close();

    /// The session's strand.
    [[nodiscard]] boost::asio::any_io_executor get_executor() { return stream_.get_executor(); }

private:
    struct CallState;

    boost::asio::awaitable<void> serve();
    boost::asio::awaitable<Reply> await_call(PendingCall call);
    boost::asio::awaitable<bool> write_reply(const Reply& reply, unsigned version, bool keep_alive);
    boost::asio::awaitable<void> close_gracefully();
    void log_access(std::string_view method, std::string_view target, const Reply& reply,
                    std::chrono::steady_clock::time_point started, std::string_view identity) const;

    boost::beast::tcp_stream stream_;
    std::shared_ptr<const RequestHandler> handler_;
    Limits limits_;
    SessionOwner& owner_;
    std::string remote_;
    // Strand-only state.
    bool in_flight_{false};  // a complete request is being answered
    bool closing_{false};
    std::shared_ptr<CallState> current_call_;
};

}  // namespace maas_bridge

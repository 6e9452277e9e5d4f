// SPDX-License-Identifier: Apache-2.0
#include "http/http_session.hpp"

#include "api/response_bodies.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <spdlog/spdlog.h>

#include <array>
#include <mutex>
#include <optional>

namespace maas_bridge {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// libpoe answers by its deadline; this is only a backstop if it does not.
constexpr std::chrono::milliseconds deadline_slack{250};

// Longest wait for a client to close after our last reply (or to take
// our close_notify when the server stops).
constexpr std::chrono::milliseconds max_drain_time{2000};

// Keeps user-controlled text (request target) harmless in a log line.
std::string printable(std::string_view text, std::size_t limit = 200) {
    std::string out;
    for (const char c : text.substr(0, limit)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte < 0x21 || byte >= 0x7f) ? '?' : c;
    }
    if (text.size() > limit) {
        out += "...";
    }
    return out;
}

std::string_view path_only(std::string_view target) {
    return target.substr(0, target.find('?'));
}

// Beast's string_view type differs between Boost versions.
template <typename View>
std::string_view to_std(const View& view) {
    return {view.data(), view.size()};
}

}  // namespace

// Shared between the waiting coroutine and the libpoe callback: the reply
// arrives by post() onto the session's strand and wakes the timer.
template <typename Stream>
struct HttpSession<Stream>::CallState {
    explicit CallState(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    std::optional<Reply> reply;
};

namespace {

// The libpoe callback holds only this slot. When the waiting coroutine ends
// (also when its frame is destroyed at shutdown) it empties the slot, so a
// late callback never posts into a dead session or a destroyed io_context.
struct CallSlot {
    std::mutex mutex;
    std::function<void(Reply)> deliver;
};

class CallSlotGuard {
public:
    explicit CallSlotGuard(std::shared_ptr<CallSlot> slot) : slot_(std::move(slot)) {}
    ~CallSlotGuard() {
        const std::lock_guard lock(slot_->mutex);
        slot_->deliver = nullptr;
    }
    CallSlotGuard(const CallSlotGuard&) = delete;
    CallSlotGuard& operator=(const CallSlotGuard&) = delete;

private:
    std::shared_ptr<CallSlot> slot_;
};

// Reports the end of the connection to the owner however the coroutine ends.
class FinishGuard {
public:
    FinishGuard(SessionOwner& owner, const HttpConnection* session) : owner_(owner), session_(session) {}
    ~FinishGuard() { owner_.session_finished(session_); }
    FinishGuard(const FinishGuard&) = delete;
    FinishGuard& operator=(const FinishGuard&) = delete;

private:
    SessionOwner& owner_;
    const HttpConnection* session_;
};

}  // namespace

template <typename Stream>
HttpSession<Stream>::HttpSession(Stream stream, std::shared_ptr<const RequestHandler> handler,
                                 const Limits& limits, SessionOwner& owner)
    : stream_(std::move(stream)), handler_(std::move(handler)), limits_(limits), owner_(owner) {
    beast::error_code ec;
    const auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    remote_ = ec ? "?" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::run(std::shared_ptr<HttpSession> self) {
    const FinishGuard finish(self->owner_, self.get());
    // The read timeout bounds the handshake: a client that connects and
    // says nothing (or speaks plain HTTP to the HTTPS port) is gone soon.
    const auto handshake_error = co_await accept_handshake(self->stream_, self->limits_.read_timeout);
    if (handshake_error) {
        self->log_handshake_failure(handshake_error);
        beast::get_lowest_layer(self->stream_).close();
        co_return;
    }
    co_await self->serve();
}

template <typename Stream>
void HttpSession<Stream>::shutdown() {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
        self->closing_ = true;
        if (!self->in_flight_) {
            beast::get_lowest_layer(self->stream_).cancel();
        }
    });
}

template <typename Stream>
void HttpSession<Stream>::force_close() {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
        self->closing_ = true;
        auto& tcp = beast::get_lowest_layer(self->stream_);
        beast::error_code ec;
        tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
        tcp.close();
        if (self->current_call_) {
            self->current_call_->timer.cancel();
        }
    });
}

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::serve() {
    beast::flat_buffer buffer;
    bool first = true;
    while (!closing_ && !owner_.stopping()) {
        // Between requests the idle timeout applies; once a request has
        // started, the (shorter) read timeout covers all of it.
        if (!first && buffer.size() == 0) {
            beast::get_lowest_layer(stream_).expires_after(limits_.idle_timeout);
            const auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(4096), use_tuple);
            if (ec) {
                if (closing_ && ec == asio::error::operation_aborted) {
                    co_await close_idle(stream_, max_drain_time);  // the server stops
                }
                co_return;
            }
            buffer.commit(n);
        }
        first = false;

        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
        parser.body_limit(limits_.max_body_bytes);
        beast::get_lowest_layer(stream_).expires_after(limits_.read_timeout);
        const auto [read_error, unused] = co_await http::async_read(stream_, buffer, parser, use_tuple);
        const auto started = std::chrono::steady_clock::now();
        if (read_error) {
            std::optional<ApiError> answer;
            if (read_error == http::error::header_limit) {
                answer =
                    ApiError{431,
                             "headers_too_large",
                             "request headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes",
                             {},
                             {},
                             std::nullopt};
            } else if (read_error == http::error::body_limit) {
                answer = ApiError{413,
                                  "body_too_large",
                                  "request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes",
                                  {},
                                  {},
                                  std::nullopt};
            } else if (read_error.category() == http::make_error_code(http::error::bad_method).category() &&
                       read_error != http::error::end_of_stream &&
                       read_error != http::error::partial_message) {
                answer = ApiError{400, "bad_request", "malformed HTTP request: " + read_error.message(), {},
                                  {},  std::nullopt};
            } else if (read_error == beast::error::timeout) {
                spdlog::debug("{}: closed, no complete request within the read/idle timeout", remote_);
            } else if (closing_ && read_error == asio::error::operation_aborted) {
                co_await close_idle(stream_, max_drain_time);  // the server stops
                co_return;
            }
            if (answer) {
                const Reply reply = RequestHandler::error_reply(*answer);
                in_flight_ = true;
                co_await write_reply(reply, 11, false);
                in_flight_ = false;
                log_access("-", "-", reply, started, "-");
                co_await close_gracefully();
            }
            co_return;
        }

        in_flight_ = true;
        const auto& request = parser.get();
        const std::string method(to_std(request.method_string()));
        const std::string target(to_std(request.target()));
        const std::string_view authorization = to_std(request[http::field::authorization]);
        Dispatch dispatch = handler_->handle(
            RequestInfo{method, target, authorization, remote_, to_std(request["X-Request-ID"])});
        Reply reply;
        if (auto* immediate = std::get_if<Reply>(&dispatch.work)) {
            reply = std::move(*immediate);
        } else {
            reply = co_await await_call(std::move(std::get<PendingCall>(dispatch.work)));
        }
        const bool keep_alive = request.keep_alive() && !closing_ && !owner_.stopping();
        const bool written = co_await write_reply(reply, request.version(), keep_alive);
        in_flight_ = false;
        log_access(method, target, reply, started, dispatch.identity);
        if (!written) {
            co_return;
        }
        if (!keep_alive) {
            co_await close_gracefully();
            co_return;
        }
    }
    co_await close_idle(stream_, max_drain_time);  // the server stopped between requests
}

template <typename Stream>
asio::awaitable<Reply> HttpSession<Stream>::await_call(PendingCall call) {
    auto state = std::make_shared<CallState>(stream_.get_executor());
    auto slot = std::make_shared<CallSlot>();
    slot->deliver = [state, executor = stream_.get_executor()](Reply reply) {
        asio::post(executor, [state, reply = std::move(reply)]() mutable {
            if (!state->reply) {
                state->reply = std::move(reply);
                state->timer.cancel();
            }
        });
    };
    const CallSlotGuard guard(slot);
    current_call_ = state;
    state->timer.expires_at(call.deadline + deadline_slack);
    // May complete inline (cache hit); the reply is still posted, so it is
    // picked up by the wait below.
    call.start([slot](Reply reply) {
        const std::lock_guard lock(slot->mutex);
        if (slot->deliver) {
            slot->deliver(std::move(reply));
        }
    });
    if (!state->reply) {
        co_await state->timer.async_wait(use_tuple);
    }
    current_call_.reset();
    if (state->reply) {
        co_return std::move(*state->reply);
    }
    co_return closing_ ? RequestHandler::shutdown_reply(call.machine)
                       : RequestHandler::deadline_reply(call.machine);
}

template <typename Stream>
asio::awaitable<bool> HttpSession<Stream>::write_reply(const Reply& reply, unsigned version,
                                                       bool keep_alive) {
    http::response<http::string_body> response;
    response.version(version == 10 ? 10 : 11);
    response.result(reply.status);
    response.set(http::field::server, "maas-bridge");
    response.set(http::field::content_type, reply.content_type);
    response.set(http::field::cache_control, "no-store");
    if (!reply.allow.empty()) {
        response.set(http::field::allow, reply.allow);
    }
    if (reply.retry_after_seconds) {
        response.set(http::field::retry_after, std::to_string(*reply.retry_after_seconds));
    }
    if (reply.challenge) {
        response.set(http::field::www_authenticate, R"(Bearer, Basic realm="maas-bridge")");
    }
    response.keep_alive(keep_alive);
    response.body() = reply.body;
    response.prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(limits_.read_timeout);
    const auto [ec, unused] = co_await http::async_write(stream_, response, use_tuple);
    co_return !ec;
}

template <typename Stream>
asio::awaitable<void> HttpSession<Stream>::close_gracefully() {
    co_await close_after_reply(stream_,
                               std::min<std::chrono::milliseconds>(limits_.read_timeout, max_drain_time));
}

template <typename Stream>
void HttpSession<Stream>::log_handshake_failure(const beast::error_code& ec) const {
    if (ec == beast::error::timeout) {
        spdlog::debug("{}: closed, no TLS handshake within the read timeout", remote_);
        return;
    }
    if (ec == asio::error::operation_aborted || ec == asio::error::eof ||
        ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset) {
        spdlog::debug("{}: closed during the TLS handshake: {}", remote_, ec.message());
        return;
    }
    // Two mistakes worth a hint: MAAS configured with http:// URLs, and a
    // client too old for TLS 1.2.
    std::string_view hint;
    if (ec.category() == asio::error::get_ssl_category() &&
        ERR_GET_LIB(static_cast<unsigned long>(ec.value())) == ERR_LIB_SSL) {
        const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
        if (reason == SSL_R_HTTP_REQUEST) {
            hint = " (a plain HTTP request on the HTTPS port: URLs must start with https://)";
        } else if (reason == SSL_R_UNSUPPORTED_PROTOCOL) {
            hint = " (the client offers no TLS version the bridge accepts: 1.2 or later)";
        }
    }
    spdlog::info("{}: TLS handshake failed: {}{}", remote_, ec.message(), hint);
}

template <typename Stream>
void HttpSession<Stream>::log_access(std::string_view method, std::string_view target, const Reply& reply,
                                     std::chrono::steady_clock::time_point started,
                                     std::string_view identity) const {
    const auto latency =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    handler_->metrics().record_request(reply.status, latency);
    spdlog::info("{} {} {} {} {:.1f}ms machine={} outcome={} identity={}", remote_, printable(method, 16),
                 printable(path_only(target)), reply.status, static_cast<double>(latency.count()) / 1000.0,
                 printable(reply.machine.empty() ? "-" : reply.machine, 80),
                 reply.outcome.empty() ? "-" : reply.outcome, identity);
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace maas_bridge

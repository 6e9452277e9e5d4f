// SPDX-License-Identifier: Apache-2.0
#include "http/http_server.hpp"

#include "api/response_bodies.hpp"
#include "http/http_session.hpp"
#include "tls/server_tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace maas_bridge {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Pause after accept() fails for lack of descriptors, instead of spinning.
constexpr std::chrono::milliseconds accept_backoff{100};
// How long an over-limit connection may take to receive its 503.
constexpr std::chrono::seconds reject_time{1};

// Logs what escapes a coroutine instead of losing it.
void log_exception(std::string_view what, const std::exception_ptr& error) {
    if (!error) {
        return;
    }
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        spdlog::error("{}: unexpected exception: {}", what, e.what());
    } catch (...) {
        spdlog::error("{}: unexpected exception", what);
    }
}

std::string overloaded_response() {
    const std::string body =
        error_body(ApiError{503, "overloaded", "too many connections; retry shortly", {}, {}, 1});
    return "HTTP/1.1 503 Service Unavailable\r\nServer: maas-bridge\r\nContent-Type: application/json\r\n"
           "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

struct HttpServer::Impl final : SessionOwner {
    Impl(HttpServerOptions opts, std::shared_ptr<const RequestHandler> request_handler)
        : options(std::move(opts)),
          handler(std::move(request_handler)),
          strand(asio::make_strand(context)),
          acceptor(strand),
          grace_timer(strand) {}

    ~Impl() override = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // SessionOwner
    void session_finished(const HttpConnection* session) override {
        handler->metrics().connection_closed();
        bool drained = false;
        {
            const std::lock_guard lock(sessions_mutex);
            sessions.erase(session);
            drained = stopping_flag.load() && sessions.empty();
        }
        if (drained) {
            asio::post(strand, [this] { grace_timer.cancel(); });
        }
    }

    [[nodiscard]] bool stopping() const override { return stopping_flag.load(); }

    std::vector<std::shared_ptr<HttpConnection>> snapshot() {
        std::vector<std::shared_ptr<HttpConnection>> out;
        const std::lock_guard lock(sessions_mutex);
        for (const auto& [key, weak] : sessions) {
            if (auto session = weak.lock()) {
                out.push_back(std::move(session));
            }
        }
        return out;
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(context), use_tuple);
            if (stopping_flag.load()) {
                co_return;
            }
            if (ec == asio::error::operation_aborted) {
                co_return;
            }
            if (ec) {
                spdlog::warn("accept failed: {}", ec.message());
                asio::steady_timer pause(strand, accept_backoff);
                co_await pause.async_wait(use_tuple);
                continue;
            }
            if (tls_context) {
                admit(TlsStream(std::move(socket), *tls_context));
            } else {
                admit(PlainStream(std::move(socket)));
            }
        }
    }

    // Serves a new connection, or answers 503 when there are too many.
    template <typename Stream>
    void admit(Stream stream) {
        std::size_t open = 0;
        {
            const std::lock_guard lock(sessions_mutex);
            open = sessions.size();
        }
        if (open >= options.limits.max_connections) {
            handler->metrics().connection_rejected();
            auto executor = stream.get_executor();
            asio::co_spawn(executor, reject(std::move(stream), options.limits.max_connections),
                           [](const std::exception_ptr& e) { log_exception("reject", e); });
            return;
        }
        auto session =
            std::make_shared<HttpSession<Stream>>(std::move(stream), handler, options.limits, *this);
        handler->metrics().connection_opened();
        {
            const std::lock_guard lock(sessions_mutex);
            sessions.emplace(session.get(), session);
        }
        auto executor = session->get_executor();
        asio::co_spawn(executor, HttpSession<Stream>::run(std::move(session)),
                       [](const std::exception_ptr& e) { log_exception("session", e); });
    }

    // Over the connection limit: answer without reading the request, then
    // close; all within reject_time (HTTPS: handshake included).
    template <typename Stream>
    static asio::awaitable<void> reject(Stream stream, std::size_t max_connections) {
        // Once a second at most: a flood must not also flood the journal.
        static std::atomic<std::int64_t> last_warning_ms{0};
        const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count();
        if (auto last = last_warning_ms.load();
            now_ms - last >= 1000 && last_warning_ms.compare_exchange_strong(last, now_ms)) {
            spdlog::warn(
                "connection limit ({}) reached; answering 503 (see maas_bridge_connections_rejected_total)",
                max_connections);
        }
        const auto handshake_error = co_await accept_handshake(stream, reject_time);
        if (handshake_error) {
            beast::get_lowest_layer(stream).close();
            co_return;
        }
        static const std::string response = overloaded_response();
        beast::get_lowest_layer(stream).expires_after(reject_time);
        const auto [ec, n] = co_await asio::async_write(stream, asio::buffer(response), use_tuple);
        if (ec) {
            beast::get_lowest_layer(stream).close();
            co_return;
        }
        co_await close_after_reply(stream, reject_time);
    }

    void begin_stop() {
        if (stopping_flag.exchange(true)) {
            return;
        }
        boost::system::error_code ignored;
        acceptor.close(ignored);
        const auto open = snapshot();
        spdlog::info("stopping: {} connection(s) open, grace {}ms", open.size(),
                     options.limits.shutdown_grace.count());
        for (const auto& session : open) {
            session->shutdown();
        }
        {
            const std::lock_guard lock(sessions_mutex);
            if (sessions.empty()) {
                return;
            }
        }
        grace_timer.expires_after(options.limits.shutdown_grace);
        grace_timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec) {
                return;  // every connection finished in time
            }
            const auto left = snapshot();
            if (!left.empty()) {
                spdlog::warn("shutdown grace over: closing {} connection(s)", left.size());
            }
            for (const auto& session : left) {
                session->force_close();
            }
        });
    }

    HttpServerOptions options;
    std::shared_ptr<const RequestHandler> handler;
    // Declared before the io_context so it outlives every session.
    std::mutex sessions_mutex;
    std::map<const HttpConnection*, std::weak_ptr<HttpConnection>> sessions;
    std::atomic<bool> stopping_flag{false};
    // Null for plain HTTP. Shared, read-only, by every TLS connection.
    std::shared_ptr<asio::ssl::context> tls_context;
    asio::io_context context;
    asio::strand<asio::io_context::executor_type> strand;
    tcp::acceptor acceptor;
    asio::steady_timer grace_timer;
    std::vector<std::thread> threads;
    bool started{false};
    std::uint16_t bound_port{0};
};

poe::Result<std::unique_ptr<HttpServer>> HttpServer::create(HttpServerOptions options,
                                                            std::shared_ptr<const RequestHandler> handler) {
    const std::string where = options.listen.to_string();
    auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
    if (impl->options.tls) {
        auto tls = make_server_tls(*impl->options.tls);
        if (!tls) {
            return std::move(tls).error();
        }
        impl->tls_context = std::move(tls->context);
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(impl->options.listen.host, ec);
    if (ec) {
        return poe::make_error(poe::ErrorCode::invalid_argument, "invalid listen address " + where);
    }
    const tcp::endpoint endpoint(address, impl->options.listen.port);
    auto& acceptor = impl->acceptor;
    const auto failed = [&](std::string_view step) {
        return poe::make_error(poe::ErrorCode::connect_failed,
                               "cannot listen on " + where + " (" + std::string(step) + "): " + ec.message());
    };
    if (acceptor.open(endpoint.protocol(), ec)) {
        return failed("open");
    }
    if (acceptor.set_option(tcp::acceptor::reuse_address(true), ec)) {
        return failed("SO_REUSEADDR");
    }
    if (acceptor.bind(endpoint, ec)) {
        return failed("bind");
    }
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
        return failed("listen");
    }
    // Kept here: reading the acceptor later would race with stop() closing it.
    impl->bound_port = acceptor.local_endpoint(ec).port();
    if (ec) {
        return failed("getsockname");
    }
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
}

HttpServer::~HttpServer() {
    stop();
    if (!impl_->started) {
        // Run once so the posted stop completes and nothing is left queued.
        impl_->context.run();
    }
    wait();
}

std::uint16_t HttpServer::port() const {
    return impl_->bound_port;
}

bool HttpServer::https() const {
    return impl_->tls_context != nullptr;
}

std::string HttpServer::local_address() const {
    ListenAddress bound = impl_->options.listen;
    bound.port = port();
    return bound.to_string();
}

void HttpServer::start() {
    if (impl_->started) {
        return;
    }
    impl_->started = true;
    // spdlog creates its registry on first use: do it here, before the
    // server threads log concurrently (embedders that never set up spdlog,
    // such as the tests, would otherwise create it from several threads).
    spdlog::default_logger();
    asio::co_spawn(impl_->strand, impl_->accept_loop(),
                   [](const std::exception_ptr& e) { log_exception("accept loop", e); });
    const unsigned count = std::max(1U, impl_->options.threads);
    for (unsigned i = 0; i < count; ++i) {
        impl_->threads.emplace_back([this] { impl_->context.run(); });
    }
}

void HttpServer::stop() {
    asio::post(impl_->strand, [impl = impl_.get()] { impl->begin_stop(); });
}

void HttpServer::wait() {
    for (auto& thread : impl_->threads) {
        if (thread.joinable()) {
            thread.join();
        }
    }
}

boost::asio::io_context& HttpServer::io_context() {
    return impl_->context;
}

std::size_t HttpServer::connections() const {
    const std::lock_guard lock(impl_->sessions_mutex);
    return impl_->sessions.size();
}

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The HTTP(S) listener: accepts connections, enforces the connection
/// limit, runs the io_context threads and drains connections on stop().

#include "api/request_handler.hpp"
#include "config/bridge_config.hpp"

#include <poe/result.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace maas_bridge {

/// Listener settings.
struct HttpServerOptions {
    ListenAddress listen;
    Limits limits;
    unsigned threads{1};
    /// When set, every connection speaks HTTPS (TLS 1.2 or later).
    std::optional<TlsConfig> tls{};  // {}: callers may leave it out without -Wmissing-field-initializers
};

/// Lifecycle: create() binds; start() runs the io_context on `threads`
/// threads; stop() drains; wait() joins. A connection beyond
/// limits.max_connections is accepted, answered 503 (Retry-After: 1,
/// Connection: close; over TLS when HTTPS is on) and closed, so clients get
/// an answer instead of a hanging connect. With HTTPS, the TLS handshake
/// must complete within limits.read_timeout.
///
/// Thread-safety: stop() and the accessors may be called from any thread.
class HttpServer {
public:
    /// Binds and listens (nothing is served before start()).
    /// @return connect_failed naming the address when it cannot bind;
    ///         invalid_argument when options.tls holds an unusable
    ///         certificate or key (see make_server_tls()).
    static poe::Result<std::unique_ptr<HttpServer>> create(HttpServerOptions options,
                                                           std::shared_ptr<const RequestHandler> handler);

    /// stop() and wait() if still running.
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// The bound port (useful with port 0).
    [[nodiscard]] std::uint16_t port() const;
    /// The bound address, "127.0.0.1:41234" / "[::1]:41234".
    [[nodiscard]] std::string local_address() const;
    /// True when serving HTTPS.
    [[nodiscard]] bool https() const;

    /// Starts accepting, on `threads` new threads.
    void start();

    /// Stops accepting; idle keep-alive connections close at once; requests
    /// in flight are answered (with Connection: close) until
    /// limits.shutdown_grace has passed, then every connection is closed.
    /// Idempotent, non-blocking.
    void stop();

    /// Blocks until every thread has run out of work (after stop(), and
    /// after anything else using io_context() has finished).
    void wait();

    /// For signal handling and other work that should share the threads.
    boost::asio::io_context& io_context();

    /// Open connections right now.
    [[nodiscard]] std::size_t connections() const;

private:
    struct Impl;
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace maas_bridge

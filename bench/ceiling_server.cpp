// SPDX-License-Identifier: Apache-2.0
// The throughput ceiling for scenario 5: the least an HTTP server built like
// maas-bridge (Boost.Beast, one io_context thread, one coroutine per
// connection, a deadline on every read, the same keep-alive and
// Connection: close handling) must do per request, answering every request
// with a constant JSON body of the bridge's size. No routing, no auth, no
// logging, no libpoe.
//
//   ceiling_server --port-file FILE     (listens on 127.0.0.1:0; SIGTERM stops it)

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view body =
    R"({"status":"running","machine":"t-5","switch":"fast","port":"Gi1/0/5","admin":"auto","oper":"on",)"
    R"("watts":5.4,"class":"4","device":"Ieee PD","max_watts":30.0})";
constexpr auto read_timeout = std::chrono::seconds(10);
constexpr auto idle_timeout = std::chrono::seconds(60);
constexpr std::size_t max_drain_bytes = std::size_t{64} * 1024;

asio::awaitable<void> close_gracefully(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!ec) {
        stream.expires_after(std::chrono::seconds(2));
        std::array<char, 4096> sink{};
        std::size_t drained = 0;
        while (drained < max_drain_bytes) {
            const auto [read_error, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
            if (read_error) {
                break;
            }
            drained += n;
        }
    }
    stream.close();
}

asio::awaitable<void> serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
        stream.expires_after(first ? read_timeout : idle_timeout);
        first = false;
        http::request_parser<http::string_body> parser;
        parser.header_limit(8192);
        parser.body_limit(4096);
        const auto [read_error, unused] = co_await http::async_read(stream, buffer, parser, use_tuple);
        if (read_error) {
            co_return;
        }
        const auto& request = parser.get();
        const bool keep_alive = request.keep_alive();
        http::response<http::string_body> response;
        response.version(request.version() == 10 ? 10 : 11);
        response.result(http::status::ok);
        response.set(http::field::server, "ceiling");
        response.set(http::field::content_type, "application/json");
        response.set(http::field::cache_control, "no-store");
        response.keep_alive(keep_alive);
        response.body() = std::string(body);
        response.prepare_payload();
        stream.expires_after(read_timeout);
        const auto [write_error, written] = co_await http::async_write(stream, response, use_tuple);
        if (write_error) {
            co_return;
        }
        if (!keep_alive) {
            co_await close_gracefully(stream);
            co_return;
        }
    }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec) {
            if (ec == asio::error::operation_aborted) {
                co_return;
            }
            continue;
        }
        socket.set_option(tcp::no_delay(true));
        asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 || std::string_view(argv[1]) != "--port-file") {
        std::cerr << "usage: ceiling_server --port-file FILE\n";
        return 2;
    }
    const std::filesystem::path port_file = argv[2];
    asio::io_context io(1);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    acceptor.listen(asio::socket_base::max_listen_connections);
    {
        const auto temp = port_file.string() + ".tmp";
        std::ofstream(temp) << acceptor.local_endpoint().port() << "\n";
        std::filesystem::rename(temp, port_file);
    }
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    asio::co_spawn(io, accept_loop(acceptor), asio::detached);
    io.run();
    return 0;
}

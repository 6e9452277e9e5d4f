// SPDX-License-Identifier: Apache-2.0
#include "support/http_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace poe_bench {

namespace {

using Clock = std::chrono::steady_clock;

class Socket {
public:
    Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) {}
    ~Socket() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    [[nodiscard]] int fd() const { return fd_; }

private:
    int fd_;
};

int millis_left(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, millis_left(deadline));
        if (rc > 0) {
            return true;
        }
        if (rc == 0 || errno != EINTR) {
            return false;
        }
    }
}

// Content-Length of a header block, or -1 when absent.
long content_length(std::string_view headers) {
    std::string lower(headers);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const auto at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos) {
        return -1;
    }
    return std::strtol(lower.c_str() + at + 17, nullptr, 10);
}

}  // namespace

HttpResult maas_request(std::uint16_t port, std::string_view method, std::string_view target,
                        std::string_view token, std::chrono::milliseconds timeout) {
    HttpResult result;
    std::string request;
    request.reserve(256);
    request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1:").append(std::to_string(port)).append("\r\n");
    request.append("User-Agent: MAAS 3.5.0\r\nAccept: application/json\r\nConnection: close\r\n");
    if (!token.empty()) {
        request.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    request.append("Content-Length: 0\r\n\r\n");

    const auto started = Clock::now();
    const auto deadline = started + timeout;
    result.started = started;
    const Socket socket;
    if (socket.fd() < 0) {
        result.error = std::string("socket: ") + std::system_category().message(errno);
        return result;
    }
    const int one = 1;
    ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        if (errno != EINPROGRESS || !wait_for(socket.fd(), POLLOUT, deadline)) {
            result.error = "connect: timeout or " + std::string(std::system_category().message(errno));
            return result;
        }
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            result.error = std::string("connect: ") + std::system_category().message(error);
            return result;
        }
    }
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_for(socket.fd(), POLLOUT, deadline)) {
                result.error = "send: timeout";
                return result;
            }
        } else {
            result.error = std::string("send: ") + std::system_category().message(errno);
            return result;
        }
    }

    result.sent_micros = std::chrono::duration<double, std::micro>(Clock::now() - started).count();

    std::string response;
    std::size_t header_end = std::string::npos;
    long body_length = -1;
    char buffer[8192];
    for (;;) {
        if (header_end != std::string::npos && body_length >= 0 &&
            response.size() >= header_end + 4 + static_cast<std::size_t>(body_length)) {
            break;
        }
        const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
        if (n > 0) {
            response.append(buffer, static_cast<std::size_t>(n));
            if (header_end == std::string::npos) {
                header_end = response.find("\r\n\r\n");
                if (header_end != std::string::npos) {
                    body_length = content_length(std::string_view(response).substr(0, header_end + 2));
                }
            }
            continue;
        }
        if (n == 0) {
            break;  // EOF: the body is whatever arrived
        }
        if (errno == EAGAIN || errno == EINTR) {
            if (!wait_for(socket.fd(), POLLIN, deadline)) {
                result.error = "no complete response within " + std::to_string(timeout.count()) + " ms";
                result.micros = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
                return result;
            }
            continue;
        }
        result.error = std::string("recv: ") + std::system_category().message(errno);
        return result;
    }
    result.micros = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
    if (header_end == std::string::npos || response.compare(0, 9, "HTTP/1.1 ") != 0) {
        result.error = "malformed response: " + response.substr(0, 80);
        return result;
    }
    result.status = std::atoi(response.c_str() + 9);
    result.body = response.substr(header_end + 4);
    result.ok = true;
    return result;
}

}  // namespace poe_bench

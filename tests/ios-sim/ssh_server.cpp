#include "ssh_server.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "ssh_connection.hpp"

namespace ios_sim {

namespace {

std::runtime_error socket_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::system_category().message(errno));
}

std::pair<std::string, std::string> split_address(const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) {
        throw std::runtime_error("--listen needs ADDR:PORT, got \"" + address + "\"");
    }
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return {host, address.substr(colon + 1)};
}

}  // namespace

SshServer::SshServer(SimContext& context, std::vector<KeyPtr> host_keys, bool legacy_only)
    : context_(context), legacy_only_(legacy_only) {
    replace_host_keys(std::move(host_keys));
    if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw socket_error("pipe2");
    }
}

SshServer::~SshServer() {
    if (listen_fd_ >= 0) {
        close(listen_fd_);
    }
    for (const int fd : wake_pipe_) {
        if (fd >= 0) {
            close(fd);
        }
    }
}

void SshServer::replace_host_keys(std::vector<KeyPtr> keys) {
    const int verbosity = context_.verbose ? SSH_LOG_WARNING : SSH_LOG_NOLOG;
    BindPtr bind = make_bind(keys, legacy_only_, verbosity);
    std::lock_guard lock(keys_mutex_);
    host_keys_ = std::move(keys);
    bind_ = std::move(bind);
}

std::vector<std::string> SshServer::host_key_fingerprints() const {
    std::lock_guard lock(keys_mutex_);
    std::vector<std::string> out;
    for (const auto& key : host_keys_) {
        out.push_back(key_type_name(key.get()) + " " + key_fingerprint(key.get()));
    }
    return out;
}

std::uint16_t SshServer::listen(const std::string& address) {
    const auto [host, port] = split_address(address);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        throw std::runtime_error("cannot resolve " + address + ": " + gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
    listen_fd_ = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
    if (listen_fd_ < 0) {
        throw socket_error("socket");
    }
    const int yes = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(listen_fd_, found->ai_addr, found->ai_addrlen) != 0) {
        throw socket_error("cannot bind " + address);
    }
    if (::listen(listen_fd_, 64) != 0) {
        throw socket_error("listen");
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    if (getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
        throw socket_error("getsockname");
    }
    const auto net_port = bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                      : reinterpret_cast<sockaddr_in*>(&bound)->sin_port;
    return ntohs(net_port);
}

void SshServer::stop() {
    context_.stopping = true;
    const char byte = 1;
    [[maybe_unused]] const auto written = write(wake_pipe_[1], &byte, 1);
}

void SshServer::run() {
    while (!context_.stopping) {
        std::array<pollfd, 2> fds{{{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}}};
        if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) {
            throw socket_error("poll");
        }
        if ((fds[1].revents & POLLIN) != 0) {
            std::array<char, 64> drain{};
            while (read(wake_pipe_[0], drain.data(), drain.size()) > 0) {
            }
        }
        if (!context_.stopping && (fds[0].revents & POLLIN) != 0) {
            accept_one();
        }
    }
}

void SshServer::accept_one() {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
        return;
    }
    const unsigned id = next_id_++;
    const int max_sessions = context_.settings.get().max_sessions;
    if (max_sessions > 0 && context_.stats.sessions_active() >= max_sessions) {
        // All vty lines busy: the switch accepts the TCP connection and
        // closes it at once, before any SSH identification.
        context_.stats.session_refused();  // before the client can notice
        close(fd);
        if (context_.verbose) {
            log_line("[" + std::to_string(id) + "] refused: all " + std::to_string(max_sessions) +
                     " vty lines busy");
        }
        return;
    }
    const int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);

    ssh_session session = ssh_new();
    if (session == nullptr) {
        close(fd);
        return;
    }
    {
        std::lock_guard lock(keys_mutex_);
        if (ssh_bind_accept_fd(bind_.get(), session, fd) != SSH_OK) {
            log_line(std::string("accept failed: ") + ssh_get_error(bind_.get()));
            ssh_free(session);  // also closes fd, which the session now owns
            return;
        }
    }
    context_.stats.session_opened();
    {
        std::lock_guard lock(threads_mutex_);
        ++live_threads_;
    }
    std::thread([this, session, id] {
        {
            SshConnection connection(context_, session, id);
            connection.run();
        }
        std::lock_guard lock(threads_mutex_);
        --live_threads_;
        threads_cv_.notify_all();
    }).detach();
}

bool SshServer::wait_for_connections(Clock::time_point deadline) {
    std::unique_lock lock(threads_mutex_);
    return threads_cv_.wait_until(lock, deadline, [this] { return live_threads_ == 0; });
}

}  // namespace ios_sim

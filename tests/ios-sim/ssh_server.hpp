#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "sim_context.hpp"
#include "ssh_keys.hpp"

namespace ios_sim {

/// Owns the listening socket and hands each accepted connection to an
/// SshConnection on its own thread. vty limits are enforced here.
class SshServer {
public:
    SshServer(SimContext& context, std::vector<KeyPtr> host_keys, bool legacy_only);
    ~SshServer();
    SshServer(const SshServer&) = delete;
    SshServer& operator=(const SshServer&) = delete;

    /// Binds and listens on @p address (`ADDR:PORT`, `[V6]:PORT`; port 0 =
    /// any). Returns the bound port. @throws std::runtime_error
    std::uint16_t listen(const std::string& address);
    /// Accepts until stop() is called.
    void run();
    /// Thread-safe and async-signal-safe.
    void stop();
    /// Waits until every connection thread has finished, or @p deadline.
    bool wait_for_connections(Clock::time_point deadline);

    /// New connections present these keys; live ones keep theirs.
    /// @throws std::runtime_error when libssh rejects them.
    void replace_host_keys(std::vector<KeyPtr> keys);
    /// `SHA256:...` of each current host key, with its type.
    std::vector<std::string> host_key_fingerprints() const;

private:
    void accept_one();

    SimContext& context_;
    const bool legacy_only_;
    int listen_fd_ = -1;
    int wake_pipe_[2] = {-1, -1};
    unsigned next_id_ = 1;

    mutable std::mutex keys_mutex_;
    std::vector<KeyPtr> host_keys_;
    BindPtr bind_;

    std::mutex threads_mutex_;
    std::condition_variable threads_cv_;
    int live_threads_ = 0;
};

}  // namespace ios_sim

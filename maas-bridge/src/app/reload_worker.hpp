// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Runs configuration reloads on a thread of their own, so that the signal
/// handler on an io_context thread only asks for one.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace maas_bridge {

/// Thread-safety: request() may be called from any thread. Requests made
/// while a reload runs are folded into one more run after it.
class ReloadWorker {
public:
    /// Starts the thread; `reload` runs on it once per (folded) request.
    explicit ReloadWorker(std::function<void()> reload);

    /// Waits for a running reload to end; pending requests are dropped.
    ~ReloadWorker();
    ReloadWorker(const ReloadWorker&) = delete;
    ReloadWorker& operator=(const ReloadWorker&) = delete;

    /// Asks for a reload; returns at once.
    void request();

private:
    void run();

    std::function<void()> reload_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool requested_{false};  // under mutex_
    bool stopping_{false};   // under mutex_
    std::thread thread_;     // last: starts after the members it uses
};

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

// One process-wide thread that runs callbacks at deadlines. Used to answer a
// caller with `timeout` at its deadline even while the device is busy with
// somebody else's slow operation.

#include <poe/deadline.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace poe::detail {

class DeadlineTimer {
public:
    using Handle = std::pair<Deadline, std::uint64_t>;

    /// The shared instance (started on first use, lives until exit).
    static DeadlineTimer& instance();

    /// A fresh handle for `when`. Split from schedule() so the owner can
    /// store the handle before the callback can possibly run.
    Handle make_handle(Deadline when);
    /// Runs `fn` on the timer thread at the handle's time unless cancelled first.
    void schedule(const Handle& handle, std::function<void()> fn);
    /// Cancels a scheduled callback; no-op if it already ran.
    void cancel(const Handle& handle);

    [[nodiscard]] std::size_t pending() const;

private:
    DeadlineTimer();
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<Handle, std::function<void()>> entries_;
    std::atomic<std::uint64_t> next_id_{0};
    std::thread thread_;
};

}  // namespace poe::detail

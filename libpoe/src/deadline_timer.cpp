// SPDX-License-Identifier: Apache-2.0
#include "deadline_timer.hpp"

namespace poe::detail {

DeadlineTimer& DeadlineTimer::instance() {
    // Deliberately never destroyed: controllers may still cancel timers while
    // static destructors run at exit.
    static auto* timer = new DeadlineTimer();
    return *timer;
}

DeadlineTimer::DeadlineTimer() : thread_([this] { run(); }) {
    thread_.detach();
}

DeadlineTimer::Handle DeadlineTimer::make_handle(Deadline when) {
    return Handle{when, next_id_++};
}

void DeadlineTimer::schedule(const Handle& handle, std::function<void()> fn) {
    const std::lock_guard lock(mutex_);
    const bool earliest = entries_.empty() || handle < entries_.begin()->first;
    entries_.emplace(handle, std::move(fn));
    if (earliest) {
        wake_.notify_one();
    }
}

void DeadlineTimer::cancel(const Handle& handle) {
    const std::lock_guard lock(mutex_);
    entries_.erase(handle);
}

std::size_t DeadlineTimer::pending() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

void DeadlineTimer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (entries_.empty()) {
            wake_.wait(lock);
            continue;
        }
        const auto first = entries_.begin();
        // A copy: cancel() may erase this entry while we wait.
        const Deadline due = first->first.first;
        if (Clock::now() < due) {
            wake_.wait_until(lock, due);
            continue;
        }
        auto fn = std::move(first->second);
        entries_.erase(first);
        lock.unlock();
        fn();
        lock.lock();
    }
}

}  // namespace poe::detail

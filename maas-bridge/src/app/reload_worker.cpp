// SPDX-License-Identifier: Apache-2.0
#include "app/reload_worker.hpp"

namespace maas_bridge {

ReloadWorker::ReloadWorker(std::function<void()> reload)
    : reload_(std::move(reload)), thread_([this] { run(); }) {
}

ReloadWorker::~ReloadWorker() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ReloadWorker::request() {
    {
        const std::lock_guard lock(mutex_);
        requested_ = true;
    }
    wake_.notify_all();
}

void ReloadWorker::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return requested_ || stopping_; });
        if (stopping_) {
            return;
        }
        requested_ = false;
        lock.unlock();
        reload_();
        lock.lock();
    }
}

}  // namespace maas_bridge

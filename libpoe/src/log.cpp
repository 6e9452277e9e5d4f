// SPDX-License-Identifier: Apache-2.0
#include "logging.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace poe {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::info)};
std::mutex g_sink_mutex;
// Shared so a sink can be swapped while another thread is still inside the old one.
std::shared_ptr<const LogSink> g_sink;

}  // namespace

void set_log_sink(LogSink sink) {
    auto next = sink ? std::make_shared<const LogSink>(std::move(sink)) : nullptr;
    const std::lock_guard lock(g_sink_mutex);
    g_sink = std::move(next);
}

void set_log_level(LogLevel level) {
    g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

namespace detail {

bool log_enabled(LogLevel level) noexcept {
    if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) {
        return false;
    }
    const std::lock_guard lock(g_sink_mutex);
    return g_sink != nullptr;
}

void log_write(LogLevel level, const std::string& message) {
    std::shared_ptr<const LogSink> sink;
    {
        const std::lock_guard lock(g_sink_mutex);
        sink = g_sink;
    }
    if (sink) {
        (*sink)(level, message);
    }
}

}  // namespace detail
}  // namespace poe

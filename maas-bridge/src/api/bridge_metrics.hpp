// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Counters for GET /metrics (Prometheus text format 0.0.4): requests by
/// status, latency, connections, and every switch controller's own stats.

#include "switches/switch_fleet.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace maas_bridge {

/// Thread-safety: every method may be called from any thread.
class BridgeMetrics {
public:
    /// One answered request.
    void record_request(unsigned status, std::chrono::microseconds latency);

    void connection_opened() noexcept { connections_open_.fetch_add(1, std::memory_order_relaxed); }
    void connection_closed() noexcept { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
    /// A connection refused with 503 because of limits.max_connections.
    void connection_rejected() noexcept { connections_rejected_.fetch_add(1, std::memory_order_relaxed); }

    /// A power change written to the audit log, or one that could not be.
    void audit_written() noexcept { audit_records_.fetch_add(1, std::memory_order_relaxed); }
    void audit_write_failed() noexcept { audit_write_errors_.fetch_add(1, std::memory_order_relaxed); }

    /// The configuration in use was loaded (at start or by a reload) at `when`.
    void config_loaded(std::chrono::system_clock::time_point when);
    /// A reload applied a new configuration at `when`.
    void reload_succeeded(std::chrono::system_clock::time_point when);
    /// A reload was refused; the previous configuration stays.
    void reload_failed();

    /// The exposition text, including the controllers' ControllerStats.
    [[nodiscard]] std::string render(const SwitchFleet& fleet) const;

private:
    mutable std::mutex mutex_;
    std::map<unsigned, std::uint64_t> requests_by_status_;
    double latency_seconds_sum_{0.0};
    std::uint64_t latency_count_{0};
    std::atomic<std::int64_t> connections_open_{0};
    std::atomic<std::uint64_t> connections_rejected_{0};
    std::atomic<std::uint64_t> audit_records_{0};
    std::atomic<std::uint64_t> audit_write_errors_{0};
    // Under mutex_.
    std::uint64_t reloads_{0};
    std::uint64_t reload_failures_{0};
    bool last_reload_ok_{true};
    double config_loaded_seconds_{0.0};
};

}  // namespace maas_bridge

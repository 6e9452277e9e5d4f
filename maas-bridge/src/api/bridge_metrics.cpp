// SPDX-License-Identifier: Apache-2.0
#include "api/bridge_metrics.hpp"

#include <poe/error.hpp>

#include <iomanip>
#include <sstream>

namespace maas_bridge {
namespace {

// Switch ids are [A-Za-z0-9._-]: nothing to escape in a label value.
void family(std::ostringstream& out, std::string_view name, std::string_view type, std::string_view help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

}  // namespace

void BridgeMetrics::record_request(unsigned status, std::chrono::microseconds latency) {
    const std::lock_guard lock(mutex_);
    ++requests_by_status_[status];
    latency_seconds_sum_ += static_cast<double>(latency.count()) / 1e6;
    ++latency_count_;
}

namespace {

double unix_seconds(std::chrono::system_clock::time_point when) {
    return std::chrono::duration<double>(when.time_since_epoch()).count();
}

}  // namespace

void BridgeMetrics::config_loaded(std::chrono::system_clock::time_point when) {
    const std::lock_guard lock(mutex_);
    config_loaded_seconds_ = unix_seconds(when);
}

void BridgeMetrics::reload_succeeded(std::chrono::system_clock::time_point when) {
    const std::lock_guard lock(mutex_);
    ++reloads_;
    last_reload_ok_ = true;
    config_loaded_seconds_ = unix_seconds(when);
}

void BridgeMetrics::reload_failed() {
    const std::lock_guard lock(mutex_);
    ++reload_failures_;
    last_reload_ok_ = false;
}

std::string BridgeMetrics::render(const SwitchFleet& fleet) const {
    std::ostringstream out;
    {
        const std::lock_guard lock(mutex_);
        family(out, "maas_bridge_config_reloads_total", "counter",
               "Configuration reloads (SIGHUP) that were applied.");
        out << "maas_bridge_config_reloads_total " << reloads_ << "\n";
        family(out, "maas_bridge_config_reload_failures_total", "counter",
               "Configuration reloads refused (the previous configuration stayed in use).");
        out << "maas_bridge_config_reload_failures_total " << reload_failures_ << "\n";
        family(out, "maas_bridge_config_last_reload_successful", "gauge",
               "0 when the last reload was refused, 1 otherwise.");
        out << "maas_bridge_config_last_reload_successful " << (last_reload_ok_ ? 1 : 0) << "\n";
        family(out, "maas_bridge_config_last_reload_success_timestamp_seconds", "gauge",
               "When the configuration in use was loaded (Unix time).");
        out << "maas_bridge_config_last_reload_success_timestamp_seconds " << std::fixed
            << std::setprecision(3) << config_loaded_seconds_ << std::defaultfloat << "\n";
        family(out, "maas_bridge_requests_total", "counter", "HTTP requests answered, by status code.");
        for (const auto& [status, count] : requests_by_status_) {
            out << "maas_bridge_requests_total{code=\"" << status << "\"} " << count << "\n";
        }
        family(out, "maas_bridge_request_duration_seconds", "summary", "Time from request read to answer.");
        out << "maas_bridge_request_duration_seconds_sum " << latency_seconds_sum_ << "\n";
        out << "maas_bridge_request_duration_seconds_count " << latency_count_ << "\n";
    }
    family(out, "maas_bridge_connections_open", "gauge", "Open HTTP connections.");
    out << "maas_bridge_connections_open " << connections_open_.load(std::memory_order_relaxed) << "\n";
    family(out, "maas_bridge_connections_rejected_total", "counter",
           "Connections refused over max_connections.");
    out << "maas_bridge_connections_rejected_total " << connections_rejected_.load(std::memory_order_relaxed)
        << "\n";

    family(out, "maas_bridge_audit_records_total", "counter", "Power changes written to the audit log.");
    out << "maas_bridge_audit_records_total " << audit_records_.load(std::memory_order_relaxed) << "\n";
    family(out, "maas_bridge_audit_write_errors_total", "counter",
           "Power changes the audit log could not record (the change itself happened).");
    out << "maas_bridge_audit_write_errors_total " << audit_write_errors_.load(std::memory_order_relaxed)
        << "\n";

    struct Counter {
        std::string_view name;
        std::string_view help;
        std::uint64_t poe::ControllerStats::*field;
    };
    static constexpr Counter counters[] = {
        {"poe_device_reads_total", "Bulk reads sent to the switch.", &poe::ControllerStats::device_reads},
        {"poe_device_writes_total", "Writes sent to the switch.", &poe::ControllerStats::device_writes},
        {"poe_writes_skipped_total", "Power requests that needed no write.",
         &poe::ControllerStats::writes_skipped},
        {"poe_logins_total", "Successful logins.", &poe::ControllerStats::logins},
        {"poe_login_failures_total", "Failed logins.", &poe::ControllerStats::login_failures},
        {"poe_reconnects_total", "Logins after the first.", &poe::ControllerStats::reconnects},
        {"poe_keepalives_total", "Keepalive pings.", &poe::ControllerStats::keepalives},
        {"poe_cache_hits_total", "Reads answered from the cache.", &poe::ControllerStats::cache_hits},
        {"poe_cache_misses_total", "Reads that needed the switch.", &poe::ControllerStats::cache_misses},
        {"poe_coalesced_reads_total", "Reads answered by another caller's read.",
         &poe::ControllerStats::coalesced_reads},
    };
    std::vector<std::pair<std::string, poe::ControllerStats>> stats;
    for (const FleetSwitch* sw : fleet.all()) {
        stats.emplace_back(sw->id, sw->controller->stats());
    }
    for (const auto& counter : counters) {
        family(out, counter.name, "counter", counter.help);
        for (const auto& [id, s] : stats) {
            out << counter.name << "{switch=\"" << id << "\"} " << s.*counter.field << "\n";
        }
    }
    family(out, "poe_device_operation_seconds", "summary", "Time spent in device operations.");
    for (const auto& [id, s] : stats) {
        out << "poe_device_operation_seconds_sum{switch=\"" << id << "\"} " << s.device_op_seconds << "\n";
        out << "poe_device_operation_seconds_count{switch=\"" << id << "\"} " << s.device_op_count << "\n";
    }
    family(out, "poe_device_errors_total", "counter", "Failed device operations, by error code.");
    for (const auto& [id, s] : stats) {
        for (const auto& [code, count] : s.errors) {
            out << "poe_device_errors_total{switch=\"" << id << "\",code=\"" << poe::to_string(code) << "\"} "
                << count << "\n";
        }
    }
    family(out, "poe_switch_connected", "gauge", "1 while the session to the switch is open.");
    for (const auto& [id, s] : stats) {
        out << "poe_switch_connected{switch=\"" << id << "\"} " << (s.connected ? 1 : 0) << "\n";
    }
    family(out, "poe_switch_circuit_open", "gauge", "1 while the switch is considered down (fail fast).");
    for (const auto& [id, s] : stats) {
        out << "poe_switch_circuit_open{switch=\"" << id << "\"} " << (s.circuit_open ? 1 : 0) << "\n";
    }
    family(out, "poe_queue_length", "gauge", "Requests waiting for the switch.");
    for (const auto& [id, s] : stats) {
        out << "poe_queue_length{switch=\"" << id << "\"} " << s.queued << "\n";
    }
    return out.str();
}

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#include "app/config_reloader.hpp"

#include "app/startup_checks.hpp"
#include "audit/audit_log.hpp"

#include <chrono>

namespace maas_bridge {
namespace {

// Settings the HTTP listener took at start. A changed value is noted and
// the running one put back into `next`, so that the rest of the file can
// still be applied.
std::vector<std::string> keep_restart_only_settings(BridgeConfig& next, const BridgeConfig& running) {
    std::vector<std::string> changed;
    const auto keep = [&changed](auto& next_value, const auto& running_value, const char* name) {
        if (!(next_value == running_value)) {
            changed.emplace_back(name);
            next_value = running_value;
        }
    };
    if (next.listen.host != running.listen.host || next.listen.port != running.listen.port) {
        changed.emplace_back("listen");
        next.listen = running.listen;
    }
    keep(next.threads, running.threads, "threads");
    keep(next.tls, running.tls, "tls");
    keep(next.limits.max_connections, running.limits.max_connections, "limits.max_connections");
    keep(next.limits.max_header_bytes, running.limits.max_header_bytes, "limits.max_header_bytes");
    keep(next.limits.max_body_bytes, running.limits.max_body_bytes, "limits.max_body_bytes");
    keep(next.limits.read_timeout, running.limits.read_timeout, "limits.read_timeout");
    keep(next.limits.idle_timeout, running.limits.idle_timeout, "limits.idle_timeout");
    keep(next.limits.shutdown_grace, running.limits.shutdown_grace, "limits.shutdown_grace");
    return changed;
}

}  // namespace

ConfigReloader::ConfigReloader(Loader load, const poe::Registry& registry, BridgeConfig running,
                               std::shared_ptr<RequestHandler> handler)
    : load_(std::move(load)),
      registry_(registry),
      handler_(std::move(handler)),
      running_(std::move(running)) {
}

poe::Result<ReloadReport> ConfigReloader::reload() {
    const std::lock_guard lock(mutex_);
    const auto refuse = [this](poe::Error error) -> poe::Result<ReloadReport> {
        handler_->metrics().reload_failed();
        return error;
    };
    auto loaded = load_();
    if (!loaded) {
        return refuse(std::move(loaded).error());
    }
    BridgeConfig next = std::move(loaded).value();
    ReloadReport report;
    report.restart_required = keep_restart_only_settings(next, running_);
    if (auto exposed = check_auth_exposure(next); !exposed) {
        return refuse(std::move(exposed).error());
    }
    std::shared_ptr<AuditLog> audit;
    if (!next.audit_log.empty()) {
        // Opened again also when unchanged: a reload after log rotation
        // moves the writes to the new file.
        auto opened = AuditLog::open(next.audit_log);
        if (!opened) {
            return refuse(std::move(opened).error());
        }
        audit = std::move(opened).value();
    }
    const std::shared_ptr<const HandlerSetup> current = handler_->setup();
    auto fleet = SwitchFleet::rebuild(next, registry_, *current->fleet, running_, &report.switches);
    if (!fleet) {
        return refuse(std::move(fleet).error());
    }
    handler_->replace(RequestHandler::setup_for(
        next, std::make_shared<const SwitchFleet>(std::move(fleet).value()), std::move(audit)));
    report.warnings = next.warnings;
    report.machine_rules = next.machines.size();
    report.audit_log = next.audit_log;
    running_ = std::move(next);
    handler_->metrics().reload_succeeded(std::chrono::system_clock::now());
    return report;
}

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// What SIGHUP does: read the configuration again, validate all of it, and
/// only then switch the request handler over, keeping the controllers (and
/// switch sessions) of switches whose configuration did not change.

#include "api/request_handler.hpp"
#include "config/bridge_config.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/registry.hpp>
#include <poe/result.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace maas_bridge {

/// What a successful reload changed.
struct ReloadReport {
    FleetChanges switches;
    /// Settings the new file changes that only a restart applies (the
    /// running values stay): "listen", "threads", "tls", "limits.read_timeout", ...
    std::vector<std::string> restart_required;
    /// The new file's non-fatal findings.
    std::vector<std::string> warnings;
    std::size_t machine_rules{0};
    std::string audit_log;  ///< "" when off.
};

/// Thread-safety: reload() may be called from any thread; concurrent calls
/// run one after the other. It blocks while it reads files and while it
/// shuts down the controllers of removed switches, so call it off the
/// io_context threads.
class ConfigReloader {
public:
    /// Reads and validates the configuration (the same loader, options and
    /// command line overrides as at start).
    using Loader = std::function<poe::Result<BridgeConfig>()>;

    /// `running` is the configuration `handler`'s current setup was built
    /// from; `registry` must outlive the reloader.
    ConfigReloader(Loader load, const poe::Registry& registry, BridgeConfig running,
                   std::shared_ptr<RequestHandler> handler);

    /// Loads the configuration; checks it as at start (authentication
    /// exposure on the running listen address, audit log writable, every
    /// new driver creatable); then makes `handler` use it for new requests.
    /// Requests in flight finish with the previous setup. Counts the outcome
    /// in the handler's metrics.
    /// @return the loader's error (FILE:LINE:COL: ...) or the check that
    ///         failed; the running configuration then stays in use, untouched.
    poe::Result<ReloadReport> reload();

private:
    Loader load_;
    const poe::Registry& registry_;
    std::shared_ptr<RequestHandler> handler_;
    std::mutex mutex_;
    BridgeConfig running_;  // under mutex_
};

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The switches the bridge controls: one poe::SwitchController per
/// `switches:` entry, built from the configuration or handed in (tests).

#include "config/bridge_config.hpp"

#include <poe/registry.hpp>
#include <poe/result.hpp>
#include <poe/switch_controller.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace maas_bridge {

/// One controlled switch.
struct FleetSwitch {
    std::string id;
    std::string driver;  ///< Registry name, for listings.
    std::shared_ptr<poe::SwitchController> controller;
};

/// True when a controller built for `before` serves `after` exactly as a new
/// one would: same driver, same driver options (secrets included) and same
/// controller options. The id, the policies (applied per request) and where
/// the entry sits in the file do not matter.
[[nodiscard]] bool same_controller_setup(const SwitchConfig& before, const SwitchConfig& after);

class SwitchFleet;

/// What SwitchFleet::rebuild() did, by switch id (each list sorted).
struct FleetChanges {
    std::vector<std::string> kept;      ///< Same controller (and switch session) as before.
    std::vector<std::string> replaced;  ///< Configuration changed: new controller.
    std::vector<std::string> added;
    std::vector<std::string> removed;  ///< Shut down once no request holds them.
};

/// Thread-safety: immutable after construction; the controllers themselves
/// are thread-safe.
class SwitchFleet {
public:
    /// Creates one driver (unconnected) and controller per configured switch.
    /// @return the driver factory's or the controller's error, prefixed with
    ///         the switch id.
    static poe::Result<SwitchFleet> create(const BridgeConfig& config, const poe::Registry& registry);

    /// The fleet for `next` that reuses `previous`'s controller for every
    /// switch whose entry in `previous_config` passes same_controller_setup()
    /// (its session stays open), and creates controllers for the others.
    /// `previous` is not changed. `changes`, when given, receives what was
    /// kept, replaced, added and removed.
    /// @return as create(); nothing is reused or changed on error.
    static poe::Result<SwitchFleet> rebuild(const BridgeConfig& next, const poe::Registry& registry,
                                            const SwitchFleet& previous, const BridgeConfig& previous_config,
                                            FleetChanges* changes = nullptr);

    /// Uses controllers built elsewhere (tests inject fake switches this way).
    explicit SwitchFleet(std::vector<FleetSwitch> switches);

    /// nullptr when there is no switch `id`.
    [[nodiscard]] const FleetSwitch* find(std::string_view id) const;

    /// Every switch, sorted by id.
    [[nodiscard]] std::vector<const FleetSwitch*> all() const;

private:
    std::map<std::string, FleetSwitch, std::less<>> switches_;
};

}  // namespace maas_bridge

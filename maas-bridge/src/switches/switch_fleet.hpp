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

/// Thread-safety: immutable after construction; the controllers themselves
/// are thread-safe.
class SwitchFleet {
public:
    /// Creates one driver (unconnected) and controller per configured switch.
    /// @return the driver factory's or the controller's error, prefixed with
    ///         the switch id.
    static poe::Result<SwitchFleet> create(const BridgeConfig& config, const poe::Registry& registry);

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

// SPDX-License-Identifier: Apache-2.0
#include "switches/switch_fleet.hpp"

namespace maas_bridge {

poe::Result<SwitchFleet> SwitchFleet::create(const BridgeConfig& config, const poe::Registry& registry) {
    std::vector<FleetSwitch> switches;
    for (const auto& [id, sw] : config.switches) {
        auto driver = registry.create(sw.driver, sw.options);
        if (!driver) {
            return poe::make_error(driver.error().code, "switch \"" + id + "\": " + driver.error().message);
        }
        auto controller = poe::SwitchController::create(id, std::move(driver).value(), sw.controller);
        if (!controller) {
            return poe::make_error(controller.error().code,
                                   "switch \"" + id + "\": " + controller.error().message);
        }
        switches.push_back(FleetSwitch{id, sw.driver, std::move(controller).value()});
    }
    return SwitchFleet(std::move(switches));
}

SwitchFleet::SwitchFleet(std::vector<FleetSwitch> switches) {
    for (auto& sw : switches) {
        std::string id = sw.id;
        switches_.emplace(std::move(id), std::move(sw));
    }
}

const FleetSwitch* SwitchFleet::find(std::string_view id) const {
    const auto it = switches_.find(id);
    return it == switches_.end() ? nullptr : &it->second;
}

std::vector<const FleetSwitch*> SwitchFleet::all() const {
    std::vector<const FleetSwitch*> out;
    for (const auto& [id, sw] : switches_) {
        out.push_back(&sw);
    }
    return out;
}

}  // namespace maas_bridge

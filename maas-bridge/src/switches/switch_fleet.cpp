// SPDX-License-Identifier: Apache-2.0
#include "switches/switch_fleet.hpp"

namespace maas_bridge {
namespace {

// Every member of poe::ControllerOptions. A new member must be added here,
// or a reload would keep a controller whose options changed: the size
// check below catches the common case of a member added in libpoe.
bool same_options(const poe::ControllerOptions& a, const poe::ControllerOptions& b) {
    return a.cache_ttl == b.cache_ttl && a.cycle_dwell == b.cycle_dwell && a.on_when_on == b.on_when_on &&
           a.verify_writes == b.verify_writes && a.keepalive_interval == b.keepalive_interval &&
           a.idle_disconnect == b.idle_disconnect && a.max_logins_per_minute == b.max_logins_per_minute &&
           a.failures_before_open == b.failures_before_open && a.backoff_initial == b.backoff_initial &&
           a.backoff_max == b.backoff_max && a.max_queue == b.max_queue &&
           a.save_after_changes == b.save_after_changes && a.save_timeout == b.save_timeout;
}
static_assert(sizeof(poe::ControllerOptions) == 88 || sizeof(void*) != 8,
              "poe::ControllerOptions changed: compare the new member in same_options()");

poe::Result<FleetSwitch> make_switch(const std::string& id, const SwitchConfig& sw,
                                     const poe::Registry& registry) {
    auto driver = registry.create(sw.driver, sw.options);
    if (!driver) {
        return poe::make_error(driver.error().code, "switch \"" + id + "\": " + driver.error().message);
    }
    auto controller = poe::SwitchController::create(id, std::move(driver).value(), sw.controller);
    if (!controller) {
        return poe::make_error(controller.error().code,
                               "switch \"" + id + "\": " + controller.error().message);
    }
    return FleetSwitch{id, sw.driver, std::move(controller).value()};
}

}  // namespace

bool same_controller_setup(const SwitchConfig& before, const SwitchConfig& after) {
    return before.driver == after.driver && before.options == after.options &&
           same_options(before.controller, after.controller);
}

poe::Result<SwitchFleet> SwitchFleet::create(const BridgeConfig& config, const poe::Registry& registry) {
    std::vector<FleetSwitch> switches;
    for (const auto& [id, sw] : config.switches) {
        auto made = make_switch(id, sw, registry);
        if (!made) {
            return std::move(made).error();
        }
        switches.push_back(std::move(made).value());
    }
    return SwitchFleet(std::move(switches));
}

poe::Result<SwitchFleet> SwitchFleet::rebuild(const BridgeConfig& next, const poe::Registry& registry,
                                              const SwitchFleet& previous,
                                              const BridgeConfig& previous_config, FleetChanges* changes) {
    FleetChanges found;
    std::vector<FleetSwitch> switches;
    for (const auto& [id, sw] : next.switches) {
        const FleetSwitch* running = previous.find(id);
        const auto before = previous_config.switches.find(id);
        if (running != nullptr && before != previous_config.switches.end() &&
            same_controller_setup(before->second, sw)) {
            switches.push_back(*running);
            found.kept.push_back(id);
            continue;
        }
        auto made = make_switch(id, sw, registry);
        if (!made) {
            return std::move(made).error();
        }
        switches.push_back(std::move(made).value());
        (running != nullptr ? found.replaced : found.added).push_back(id);
    }
    for (const FleetSwitch* sw : previous.all()) {
        if (!next.switches.contains(sw->id)) {
            found.removed.push_back(sw->id);
        }
    }
    if (changes != nullptr) {
        *changes = std::move(found);
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

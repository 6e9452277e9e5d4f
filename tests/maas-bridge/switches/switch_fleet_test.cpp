// SPDX-License-Identifier: Apache-2.0
#include "switches/switch_fleet.hpp"

#include "config/config_loader.hpp"
#include "support/test_drivers.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

class SwitchFleetRebuild : public ::testing::Test {
protected:
    void SetUp() override { registry_ = testing::make_test_registry(); }

    BridgeConfig load(const std::string& yaml) {
        ConfigLoadOptions options;
        options.registry = registry_.get();
        auto config = load_config_text(yaml, "fleet.yaml", options);
        EXPECT_TRUE(config.ok()) << config.error().message;
        return config.ok() ? std::move(config).value() : BridgeConfig{};
    }

    static const poe::SwitchController* controller(const SwitchFleet& fleet, std::string_view id) {
        const FleetSwitch* sw = fleet.find(id);
        return sw == nullptr ? nullptr : sw->controller.get();
    }

    std::unique_ptr<poe::Registry> registry_;
};

const char* const before_yaml = R"(switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8
  lab1:
    driver: lab
    host: 192.0.2.1
    password: one
  lab2:
    driver: lab
    host: 192.0.2.2
  lab3:
    driver: lab
    host: 192.0.2.3
    cache_ttl: 2s
machines:
  - name: pi-01
    switch: demo
    port: Gi1/0/1
)";

// demo: only the machines and its policy change (kept); lab1: another
// password (replaced); lab2: gone; lab3: another cache_ttl (replaced);
// lab4: new.
const char* const after_yaml = R"(switches:
  lab1:
    driver: lab
    host: 192.0.2.1
    password: two
  demo:
    driver: fake
    ports: Gi1/0/1-8
    cycle_dwell: 1s
  lab3:
    driver: lab
    host: 192.0.2.3
    cache_ttl: 3s
  lab4:
    driver: lab
    host: 192.0.2.4
machines:
  - name: pi-01
    switch: demo
    port: Gi1/0/2
  - name: pi-02
    switch: lab4
    port: port2
)";

TEST_F(SwitchFleetRebuild, KeepsTheControllerOfAnUnchangedSwitchAndReplacesChangedOnes) {
    const BridgeConfig before = load(before_yaml);
    const BridgeConfig after = load(after_yaml);
    auto created = SwitchFleet::create(before, *registry_);
    ASSERT_TRUE(created.ok()) << created.error().message;
    const SwitchFleet& previous = created.value();

    FleetChanges changes;
    auto rebuilt = SwitchFleet::rebuild(after, *registry_, previous, before, &changes);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message;
    const SwitchFleet& next = rebuilt.value();

    EXPECT_EQ(controller(next, "demo"), controller(previous, "demo"));
    EXPECT_NE(controller(next, "lab1"), controller(previous, "lab1"));
    EXPECT_NE(controller(next, "lab3"), controller(previous, "lab3"));
    EXPECT_NE(controller(next, "lab4"), nullptr);
    EXPECT_EQ(controller(next, "lab2"), nullptr);
    EXPECT_EQ(changes.kept, std::vector<std::string>{"demo"});
    EXPECT_EQ(changes.replaced, (std::vector<std::string>{"lab1", "lab3"}));
    EXPECT_EQ(changes.added, std::vector<std::string>{"lab4"});
    EXPECT_EQ(changes.removed, std::vector<std::string>{"lab2"});
    // The previous fleet is untouched (requests in flight still use it).
    EXPECT_NE(controller(previous, "lab2"), nullptr);
    EXPECT_EQ(previous.find("lab1")->controller->id(), "lab1");
}

TEST_F(SwitchFleetRebuild, ComparesDriverOptionsSecretsAndControllerOptions) {
    const BridgeConfig base = load(before_yaml);
    SwitchConfig sw = base.switches.at("lab1");
    EXPECT_TRUE(same_controller_setup(sw, sw));

    SwitchConfig policy_only = sw;
    policy_only.policy.cycle_dwell = std::chrono::seconds{42};
    policy_only.where.line = 99;
    EXPECT_TRUE(same_controller_setup(sw, policy_only));

    SwitchConfig secret = sw;
    secret.options["password"] = "other";
    EXPECT_FALSE(same_controller_setup(sw, secret));

    SwitchConfig keepalive = sw;
    keepalive.controller.keepalive_interval = std::chrono::seconds{5};
    EXPECT_FALSE(same_controller_setup(sw, keepalive));

    SwitchConfig driver = sw;
    driver.driver = "fake";
    EXPECT_FALSE(same_controller_setup(sw, driver));
}

}  // namespace
}  // namespace maas_bridge

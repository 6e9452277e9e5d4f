// SPDX-License-Identifier: Apache-2.0
#include "app/config_reloader.hpp"

#include "config/config_loader.hpp"
#include "support/fake_bridge.hpp"

#include <gtest/gtest.h>

#include <future>

namespace maas_bridge {
namespace {

using testing::FakeBridge;
using testing::FakeBridgeOptions;

// The FakeBridge's switch, unchanged, with other machine rules.
const char* const switch_yaml = R"(switches:
  demo:
    driver: fake
    ports: Gi1/0/1-8
)";

// Starts a request; the future holds its reply.
std::future<Reply> start(const RequestHandler& handler, std::string_view method, std::string_view target) {
    Dispatch dispatch = handler.handle(RequestInfo{method, target, "", "127.0.0.1:1", ""});
    auto promise = std::make_shared<std::promise<Reply>>();
    auto future = promise->get_future();
    if (auto* reply = std::get_if<Reply>(&dispatch.work)) {
        promise->set_value(*reply);
    } else {
        std::get<PendingCall>(dispatch.work).start([promise](Reply answer) {
            promise->set_value(std::move(answer));
        });
    }
    return future;
}

Reply run(const RequestHandler& handler, std::string_view method, std::string_view target) {
    auto future = start(handler, method, target);
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        ADD_FAILURE() << "no reply within 5 s";
        return {};
    }
    return future.get();
}

// A reloader for `bridge` whose file text is `text`, with the bridge's
// listen address (as a --listen override would keep it).
std::unique_ptr<ConfigReloader> make_reloader(const FakeBridge& bridge, const std::string& text) {
    return std::make_unique<ConfigReloader>(
        [&bridge, &text]() -> poe::Result<BridgeConfig> {
            ConfigLoadOptions options;
            options.registry = &bridge.registry();
            auto config = load_config_text(text, "reload.yaml", options);
            if (config) {
                config->listen = bridge.config().listen;
            }
            return config;
        },
        bridge.registry(), bridge.config(), bridge.shared_handler());
}

const poe::SwitchController* demo_controller(const FakeBridge& bridge) {
    return bridge.handler().setup()->fleet->find("demo")->controller.get();
}

class ConfigReloaderTest : public ::testing::Test {
protected:
    const poe::SwitchController* demo_controller() const { return maas_bridge::demo_controller(bridge_); }
    std::string metrics() const { return run(bridge_.handler(), "GET", "/metrics").body; }

    FakeBridge bridge_;
    std::string text_;
    std::unique_ptr<ConfigReloader> reloader_{make_reloader(bridge_, text_)};
};

TEST_F(ConfigReloaderTest, ABrokenFileKeepsTheRunningConfiguration) {
    text_ =
        std::string(switch_yaml) + "machines:\n  - name: web-01\n    switch: nowhere\n    port: Gi1/0/5\n";
    auto reloaded = reloader_->reload();
    ASSERT_FALSE(reloaded.ok());
    EXPECT_EQ(reloaded.error().message.rfind("reload.yaml:7:13: machines[0].switch: ", 0), 0U)
        << reloaded.error().message;
    EXPECT_EQ(run(bridge_.handler(), "GET", "/v1/machines/pi-01").status, 200U);
    EXPECT_EQ(run(bridge_.handler(), "GET", "/v1/machines/web-01").status, 422U);
    EXPECT_NE(metrics().find("maas_bridge_config_reload_failures_total 1\n"), std::string::npos);
    EXPECT_NE(metrics().find("maas_bridge_config_last_reload_successful 0\n"), std::string::npos);
}

TEST_F(ConfigReloaderTest, NewMachineRulesApplyAndTheSwitchControllerStays) {
    const poe::SwitchController* before = demo_controller();
    ASSERT_EQ(run(bridge_.handler(), "POST", "/v1/machines/pi-01/on").status, 200U);
    text_ = std::string(switch_yaml) + "machines:\n  - name: web-01\n    switch: demo\n    port: Gi1/0/5\n";
    auto reloaded = reloader_->reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
    EXPECT_EQ(reloaded->switches.kept, std::vector<std::string>{"demo"});
    EXPECT_TRUE(reloaded->restart_required.empty());
    EXPECT_EQ(reloaded->machine_rules, 1U);

    EXPECT_EQ(demo_controller(), before);
    EXPECT_EQ(run(bridge_.handler(), "GET", "/v1/machines/web-01").status, 200U);
    EXPECT_EQ(run(bridge_.handler(), "GET", "/v1/machines/pi-01").status, 422U);
    // The same controller: its counters go on.
    const std::string text = metrics();
    EXPECT_NE(text.find("maas_bridge_config_reloads_total 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("poe_device_writes_total{switch=\"demo\"} 1\n"), std::string::npos) << text;
}

TEST_F(ConfigReloaderTest, ListenThreadsAndConnectionLimitsWaitForARestart) {
    text_ = std::string("threads: 7\nlimits:\n  max_connections: 3\n  request_timeout: 5s\n") + switch_yaml;
    auto reloaded = reloader_->reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
    EXPECT_EQ(reloaded->restart_required, (std::vector<std::string>{"threads", "limits.max_connections"}));
    EXPECT_EQ(bridge_.handler().setup()->limits.request_timeout, std::chrono::seconds{5});
}

TEST_F(ConfigReloaderTest, AChangedSwitchGetsANewController) {
    const poe::SwitchController* before = demo_controller();
    text_ = "switches:\n  demo:\n    driver: fake\n    ports: Gi1/0/1-8\n    cache_ttl: 1s\n";
    auto reloaded = reloader_->reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
    EXPECT_EQ(reloaded->switches.replaced, std::vector<std::string>{"demo"});
    EXPECT_NE(demo_controller(), before);
}

TEST(ConfigReloaderInFlight, ARequestInFlightFinishesWithTheRulesItStartedWith) {
    auto gate = std::make_shared<testing::WriteGate>();
    FakeBridgeOptions options;
    options.gate = gate;
    FakeBridge bridge(options);
    std::string text;
    auto reloader = make_reloader(bridge, text);

    auto pending = start(bridge.handler(), "POST", "/v1/machines/pi-01/on");
    ASSERT_EQ(gate->entered().wait_for(std::chrono::seconds(5)), std::future_status::ready);
    // pi-01 is gone from the new rules while its write waits at the switch.
    text = switch_yaml;
    auto reloaded = reloader->reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
    EXPECT_EQ(run(bridge.handler(), "GET", "/v1/machines/pi-01").status, 422U);

    gate->open();
    ASSERT_EQ(pending.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    const Reply reply = pending.get();
    EXPECT_EQ(reply.status, 200U) << reply.body;
    EXPECT_EQ(reply.outcome, "changed");
    EXPECT_EQ(bridge.device().port("Gi1/0/1")->admin, poe::AdminMode::automatic);
}

}  // namespace
}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
// A configuration reload against a simulated Cisco switch over real SSH:
// new machine rules must not cost a new login; a changed switch does.

#include "api/request_handler.hpp"
#include "app/config_reloader.hpp"
#include "config/config_loader.hpp"
#include "http/http_server.hpp"
#include "support/http_test_client.hpp"
#include "switches/switch_fleet.hpp"

#include "ios_sim_process.hpp"

#include <poe/registry.hpp>

#include <gtest/gtest.h>

namespace maas_bridge::testing {
namespace {

class CiscoIosReload : public ::testing::Test {
protected:
    void SetUp() override {
        sim_ = poe_test::IosSimProcess::start();
        ASSERT_TRUE(poe::register_builtin_drivers(registry_).ok());
        text_ = switch_yaml() + machines_yaml(false);
        auto config = load();
        ASSERT_TRUE(config.ok()) << config.error().message;
        auto fleet = SwitchFleet::create(*config, registry_);
        ASSERT_TRUE(fleet.ok()) << fleet.error().message;
        handler_ = RequestHandler::from_config(*config,
                                               std::make_shared<const SwitchFleet>(std::move(fleet).value()));
        auto server =
            HttpServer::create(HttpServerOptions{config->listen, config->limits, 1, std::nullopt}, handler_);
        ASSERT_TRUE(server.ok()) << server.error().message;
        server_ = std::move(server).value();
        server_->start();
        reloader_ = std::make_unique<ConfigReloader>([this] { return load(); }, registry_, *config, handler_);
    }

    void TearDown() override {
        if (server_) {
            server_->stop();
            server_->wait();
        }
    }

    std::string switch_yaml(std::string_view extra = {}) const {
        return "auth:\n  tokens:\n    - name: maas\n      token: maas-test-token\n"
               "switches:\n  core:\n    driver: cisco-ios\n    host: 127.0.0.1\n    port: " +
               std::to_string(sim_->port()) +
               "\n    username: admin\n    password: secret\n    enable_secret: enablepw\n"
               "    host_key_fingerprint: " +
               sim_->host_key_fingerprint() + "\n" + std::string(extra);
    }

    static std::string machines_yaml(bool with_rack) {
        std::string text = "machines:\n  - pattern: 'pi-(\\d+)'\n    switch: core\n    port: 'Gi1/0/{1}'\n";
        if (with_rack) {
            text += "  - name: rack-a\n    switch: core\n    port: Gi1/0/9\n";
        }
        return text;
    }

    poe::Result<BridgeConfig> load() {
        ConfigLoadOptions options;
        options.registry = &registry_;
        auto config = load_config_text(text_, "e2e.yaml", options);
        if (config) {
            config->listen.port = 0;  // as --listen 127.0.0.1:0 would
        }
        return config;
    }

    unsigned query(const std::string& machine) {
        auto response =
            fetch(server_->port(), maas_request("GET", "/v1/machines/" + machine, "Bearer maas-test-token"));
        EXPECT_TRUE(response.has_value());
        return response ? response->result_int() : 0U;
    }

    std::int64_t logins() { return sim_->stats().at("logins").as_int64(); }

    poe::Registry registry_;
    std::unique_ptr<poe_test::IosSimProcess> sim_;
    std::string text_;
    std::shared_ptr<RequestHandler> handler_;
    std::unique_ptr<HttpServer> server_;
    std::unique_ptr<ConfigReloader> reloader_;
};

TEST_F(CiscoIosReload, NewMachineRulesKeepTheSshSession) {
    ASSERT_EQ(query("pi-05"), 200U);
    ASSERT_EQ(logins(), 1);
    EXPECT_EQ(query("rack-a"), 422U);

    text_ = switch_yaml() + machines_yaml(true);
    auto reloaded = reloader_->reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
    EXPECT_EQ(reloaded->switches.kept, std::vector<std::string>{"core"});

    EXPECT_EQ(query("rack-a"), 200U);
    EXPECT_EQ(query("pi-05"), 200U);
    EXPECT_EQ(logins(), 1) << "a reload that changes only machine rules must not log in again";
}

TEST_F(CiscoIosReload, AChangedSwitchLogsInAgain) {
    // The counter-check: the test above would see a second login.
    ASSERT_EQ(query("pi-05"), 200U);
    ASSERT_EQ(logins(), 1);
    text_ = switch_yaml("    keepalive: 30s\n") + machines_yaml(false);
    auto reloaded = reloader_->reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
    EXPECT_EQ(reloaded->switches.replaced, std::vector<std::string>{"core"});
    EXPECT_EQ(query("pi-05"), 200U);
    EXPECT_EQ(logins(), 2);
}

}  // namespace
}  // namespace maas_bridge::testing

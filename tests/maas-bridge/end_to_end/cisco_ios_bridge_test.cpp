// SPDX-License-Identifier: Apache-2.0
// The whole path as MAAS drives it: MAAS-shaped HTTP requests -> bridge ->
// cisco-ios driver -> SSH -> ios-sim, everything on 127.0.0.1.

#include "api/request_handler.hpp"
#include "config/config_loader.hpp"
#include "http/http_server.hpp"
#include "support/http_test_client.hpp"
#include "switches/switch_fleet.hpp"

#include "ios_sim_process.hpp"

#include <poe/registry.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

namespace maas_bridge::testing {
namespace {

using ::testing::HasSubstr;

std::int64_t stat(const boost::json::object& stats, const char* key) {
    return stats.at(key).as_int64();
}

std::int64_t command_count(const boost::json::object& stats, const char* command) {
    const auto& by_name = stats.at("commands_by_name").as_object();
    const auto it = by_name.find(command);
    return it == by_name.end() ? 0 : it->value().as_int64();
}

// MAAS reads the body with these, in this order (DESIGN.md section 2).
std::string maas_reading(const std::string& body) {
    if (std::regex_search(body, std::regex(R"(status.*\:.*running)"))) {
        return "on";
    }
    if (std::regex_search(body, std::regex(R"(status.*\:.*stopped)"))) {
        return "off";
    }
    return "unknown";
}

class CiscoIosBridge : public ::testing::Test {
protected:
    void SetUp() override {
        sim_ = poe_test::IosSimProcess::start();
        ASSERT_TRUE(poe::register_builtin_drivers(registry_).ok());
        const std::string yaml =
            "auth:\n  tokens:\n    - name: maas\n      token: maas-test-token\n"
            "policy:\n  cache_ttl: 0s\n"
            "switches:\n  core:\n    driver: cisco-ios\n    host: 127.0.0.1\n    port: " +
            std::to_string(sim_->port()) +
            "\n    username: admin\n    password: secret\n    enable_secret: enablepw\n"
            "    host_key_fingerprint: " +
            sim_->host_key_fingerprint() +
            "\nmachines:\n  - pattern: 'pi-(\\d+)'\n    switch: core\n    port: 'Gi1/0/{1}'\n";
        ConfigLoadOptions load_options;
        load_options.registry = &registry_;
        auto config = load_config_text(yaml, "e2e.yaml", load_options);
        ASSERT_TRUE(config.ok()) << config.error().message;
        config->listen.port = 0;
        auto fleet = SwitchFleet::create(*config, registry_);
        ASSERT_TRUE(fleet.ok()) << fleet.error().message;
        auto server =
            HttpServer::create(HttpServerOptions{config->listen, config->limits, 1},
                               RequestHandler::from_config(
                                   *config, std::make_shared<const SwitchFleet>(std::move(fleet).value())));
        ASSERT_TRUE(server.ok()) << server.error().message;
        server_ = std::move(server).value();
        server_->start();
    }

    void TearDown() override {
        if (server_) {
            server_->stop();
            server_->wait();
        }
    }

    Response maas(std::string_view method, const std::string& target) {
        auto response = fetch(server_->port(), maas_request(method, target, "Bearer maas-test-token"));
        EXPECT_TRUE(response.has_value());
        return response.value_or(Response{});
    }

    poe::Registry registry_;
    std::unique_ptr<poe_test::IosSimProcess> sim_;
    std::unique_ptr<HttpServer> server_;
};

TEST_F(CiscoIosBridge, MaasPowersAMachineOffAndOnOverOneSshSession) {
    auto query = maas("GET", "/v1/machines/pi-05");
    ASSERT_EQ(query.result_int(), 200) << query.body();
    EXPECT_EQ(maas_reading(query.body()), "on");

    auto off = maas("POST", "/v1/machines/pi-05/off");
    ASSERT_EQ(off.result_int(), 200) << off.body();
    EXPECT_EQ(maas_reading(maas("GET", "/v1/machines/pi-05").body()), "off");
    EXPECT_EQ(sim_->stats().at("ports").as_object().at("Gi1/0/5").as_object().at("mode").as_string(),
              "never");

    // MAAS's confirm loop re-POSTs; the second one must not touch the switch.
    const auto changes_before = stat(sim_->stats(), "config_changes");
    ASSERT_EQ(maas("POST", "/v1/machines/pi-05/off").result_int(), 200);
    EXPECT_EQ(stat(sim_->stats(), "config_changes"), changes_before);

    auto on = maas("POST", "/v1/machines/pi-05/on/");
    ASSERT_EQ(on.result_int(), 200) << on.body();
    EXPECT_THAT(on.body(), HasSubstr(R"("changed":true)"));
    EXPECT_EQ(maas_reading(maas("GET", "/v1/machines/pi-05/").body()), "on");

    const auto stats = sim_->stats();
    EXPECT_EQ(stat(stats, "logins"), 1) << "the bridge must keep one session";
    EXPECT_EQ(stat(stats, "sessions_ended_in_config_mode"), 0);
    EXPECT_GE(command_count(stats, "show power inline"), 4);
}

TEST_F(CiscoIosBridge, SwitchRejectionIsA502WithTheSwitchText) {
    sim_->control_ok("fault invalid 'power inline' 1");
    auto off = maas("POST", "/v1/machines/pi-07/off");
    EXPECT_EQ(off.result_int(), 502) << off.body();
    EXPECT_THAT(off.body(), HasSubstr("device_rejected"));
    EXPECT_THAT(off.body(), HasSubstr("Invalid input"));
    // Nothing changed, the session left config mode, and the next request works.
    EXPECT_EQ(maas_reading(maas("GET", "/v1/machines/pi-07").body()), "on");
    EXPECT_EQ(maas("POST", "/v1/machines/pi-07/off").result_int(), 200);
    EXPECT_EQ(stat(sim_->stats(), "sessions_ended_in_config_mode"), 0);
}

TEST_F(CiscoIosBridge, PortTheSwitchLacksIs422NotA404) {
    auto query = maas("GET", "/v1/machines/pi-99");
    EXPECT_EQ(query.result_int(), 422) << query.body();
    EXPECT_THAT(query.body(), HasSubstr("Gi1/0/99"));
}

}  // namespace
}  // namespace maas_bridge::testing

// SPDX-License-Identifier: Apache-2.0
#include "api/request_handler.hpp"

#include "support/fake_bridge.hpp"
#include "support/http_test_client.hpp"

#include <gtest/gtest.h>

#include <future>

namespace maas_bridge {
namespace {

using testing::FakeBridge;
using testing::FakeBridgeOptions;

const char* const auth_yaml = R"(auth:
  tokens:
    - name: maas
      token: tok
)";

FakeBridgeOptions options() {
    FakeBridgeOptions out;
    out.yaml = auth_yaml;
    return out;
}

// Runs a request to completion without sockets.
struct Outcome {
    std::string identity;
    Reply reply;
};

Outcome run(const RequestHandler& handler, std::string_view method, std::string_view target,
            std::string_view authorization = "Bearer tok") {
    Dispatch dispatch = handler.handle(RequestInfo{method, target, authorization});
    if (auto* reply = std::get_if<Reply>(&dispatch.work)) {
        return {dispatch.identity, *reply};
    }
    auto& call = std::get<PendingCall>(dispatch.work);
    auto promise = std::make_shared<std::promise<Reply>>();
    auto future = promise->get_future();
    call.start([promise](Reply reply) { promise->set_value(std::move(reply)); });
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        ADD_FAILURE() << "no reply within 5 s";
        return {};
    }
    return {dispatch.identity, future.get()};
}

TEST(RequestHandler, CredentialsAreCheckedBeforeNamesAreResolved) {
    FakeBridge bridge(options());
    const Outcome unknown = run(bridge.handler(), "GET", "/v1/machines/web-01", "");
    EXPECT_EQ(unknown.reply.status, 401U);
    EXPECT_TRUE(unknown.reply.challenge);
    EXPECT_EQ(
        unknown.reply.body,
        R"j({"error":{"code":"unauthenticated","message":"credentials required (Bearer token or Basic user)"}})j");
    EXPECT_EQ(run(bridge.handler(), "GET", "/nope", "Bearer wrong").reply.status, 401U);
    EXPECT_EQ(run(bridge.handler(), "GET", "/nope").reply.status, 400U);
}

TEST(RequestHandler, HealthzNeedsNoCredentials) {
    FakeBridge bridge(options());
    const Outcome health = run(bridge.handler(), "GET", "/healthz", "");
    EXPECT_EQ(health.reply.status, 200U);
    EXPECT_EQ(health.reply.body, R"({"status":"ok"})");
}

TEST(RequestHandler, UnknownMachineIs422) {
    FakeBridge bridge(options());
    const Outcome outcome = run(bridge.handler(), "POST", "/v1/machines/web-01/on");
    EXPECT_EQ(outcome.reply.status, 422U);
    EXPECT_EQ(outcome.reply.body,
              R"({"error":{"code":"unknown_machine","message":"unknown machine \"web-01\""}})");
    EXPECT_EQ(outcome.identity, "maas");
    EXPECT_EQ(outcome.reply.outcome, "unknown_machine");
}

TEST(RequestHandler, PatternMachineOnAMissingPortIsAnUnknownMachine) {
    FakeBridge bridge(options());
    const Outcome outcome = run(bridge.handler(), "GET", "/v1/machines/pi-99");
    EXPECT_EQ(outcome.reply.status, 422U);
    EXPECT_EQ(
        outcome.reply.body,
        R"j({"error":{"code":"unknown_machine","message":"unknown machine \"pi-99\" (pattern \"pi-(\\d+)\" maps )j"
        R"j(it to demo Gi1/0/99, which the switch does not have)"}})j");
}

TEST(RequestHandler, UnknownSwitchAndPortAre422) {
    FakeBridge bridge(options());
    const Outcome no_switch = run(bridge.handler(), "GET", "/v1/switches/core/ports/Gi1%2F0%2F1");
    EXPECT_EQ(no_switch.reply.status, 422U);
    EXPECT_EQ(no_switch.reply.outcome, "unknown_switch");
    EXPECT_EQ(run(bridge.handler(), "GET", "/v1/switches/core").reply.status, 422U);
    const Outcome bad_port = run(bridge.handler(), "POST", "/v1/switches/demo/ports/eth0/on");
    EXPECT_EQ(bad_port.reply.status, 422U);
    EXPECT_EQ(bad_port.reply.outcome, "unknown_port");
    const Outcome missing_port = run(bridge.handler(), "GET", "/v1/switches/demo/ports/Gi1%2F0%2F9");
    EXPECT_EQ(missing_port.reply.status, 422U);
    EXPECT_EQ(missing_port.reply.outcome, "unknown_port");
}

TEST(RequestHandler, MetricsInPrometheusFormat) {
    FakeBridge bridge(options());
    ASSERT_EQ(run(bridge.handler(), "GET", "/v1/machines/pi-01").reply.status, 200U);
    bridge.handler().metrics().record_request(200, std::chrono::milliseconds(3));
    EXPECT_EQ(run(bridge.handler(), "GET", "/metrics", "").reply.status, 401U);
    const Outcome metrics = run(bridge.handler(), "GET", "/metrics");
    EXPECT_EQ(metrics.reply.status, 200U);
    EXPECT_EQ(metrics.reply.content_type, "text/plain; version=0.0.4; charset=utf-8");
    const std::string& text = metrics.reply.body;
    EXPECT_NE(text.find("maas_bridge_requests_total{code=\"200\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("poe_device_reads_total{switch=\"demo\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("poe_switch_connected{switch=\"demo\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE poe_cache_hits_total counter\n"), std::string::npos) << text;
}

TEST(RequestHandler, ListsMachinesAndSwitches) {
    FakeBridge bridge(options());
    EXPECT_EQ(run(bridge.handler(), "GET", "/v1/machines").reply.body,
              R"({"machines":[{"name":"pi-01","switch":"demo","port":"Gi1/0/1"},)"
              R"({"name":"\u0073tatus-\u0072unning","switch":"demo","port":"Gi1/0/2"}],)"
              R"j("patterns":[{"pattern":"pi-(\\d+)","switch":"demo","port":"Gi1/0/{1}"}]})j");
    EXPECT_EQ(run(bridge.handler(), "GET", "/v1/switches").reply.body,
              R"({"switches":[{"id":"demo","driver":"fake","connected":false,"circuit_open":false}]})");
    const Outcome detail = run(bridge.handler(), "GET", "/v1/switches/demo/");
    EXPECT_EQ(detail.reply.status, 200U);
    EXPECT_TRUE(detail.reply.body.starts_with(
        R"({"switch":"demo","driver":"fake","ports":[{"name":"Gi1/0/1","admin":"never","oper":"off","watts":0.0,)"
        R"("class":"","device":"","max_watts":30.0,"machine":"pi-01"},)"))
        << detail.reply.body;
}

TEST(RequestHandler, DeviceErrorsKeepTheirCodeAndText) {
    FakeBridge bridge(options());
    bridge.device().fail_next(
        poe::fake::Operation::read,
        poe::make_error(poe::ErrorCode::parse_error, "unrecognised output", "% garbage"));
    const Outcome outcome = run(bridge.handler(), "GET", "/v1/machines/pi-01");
    EXPECT_EQ(outcome.reply.status, 502U);
    EXPECT_EQ(
        outcome.reply.body,
        R"({"error":{"code":"parse_error","message":"unrecognised output","device_text":"% garbage"}})");
}

TEST(RequestHandler, PowerOnReportsTheNewState) {
    FakeBridge bridge(options());
    const Outcome on = run(bridge.handler(), "POST", "/v1/machines/pi-03/on");
    EXPECT_EQ(on.reply.status, 200U);
    EXPECT_EQ(on.reply.outcome, "changed");
    EXPECT_TRUE(on.reply.body.starts_with(
        R"({"status":"running","machine":"pi-03","switch":"demo","port":"Gi1/0/3")"))
        << on.reply.body;
    EXPECT_TRUE(on.reply.body.ends_with(R"("action":"on","changed":true})")) << on.reply.body;
    EXPECT_EQ(run(bridge.handler(), "POST", "/v1/machines/pi-03/on").reply.outcome, "no-op");
}

}  // namespace
}  // namespace maas_bridge

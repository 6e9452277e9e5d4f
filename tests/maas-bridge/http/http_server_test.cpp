// SPDX-License-Identifier: Apache-2.0
// The bridge through real sockets on 127.0.0.1, with the fake switch.

#include "http/http_server.hpp"

#include "support/fake_bridge.hpp"
#include "support/http_test_client.hpp"
#include "support/log_capture.hpp"

#include <gtest/gtest.h>
#include <boost/beast/http/field.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

namespace maas_bridge {
namespace {

namespace http = boost::beast::http;
using testing::basic_auth;
using testing::FakeBridge;
using testing::FakeBridgeOptions;
using testing::fetch;
using testing::get_request;
using testing::HttpTestClient;
using testing::maas_request;

constexpr std::string_view token = "Tok3n-for-MAAS";
constexpr std::string_view password = "Pa55-w0rd:x";

// Auth for every test, plus extra top-level sections.
std::string bridge_yaml(const std::string& limits = "", const std::string& policy = "") {
    std::string yaml = "auth:\n  tokens:\n    - name: maas-token\n      token: \"";
    yaml += token;
    yaml += "\"\n  users:\n    - name: maas\n      password: \"";
    yaml += password;
    yaml += "\"\npolicy:\n  cycle_dwell: 20ms\n";
    yaml += policy;
    if (!limits.empty()) {
        yaml += "limits:\n" + limits;
    }
    return yaml;
}

std::string bearer() {
    return "Bearer " + std::string(token);
}

FakeBridgeOptions with_yaml(std::string yaml) {
    FakeBridgeOptions options;
    options.yaml = std::move(yaml);
    return options;
}

// What MAAS reads from a query body.
std::string maas_reads(const std::string& body) {
    if (std::regex_search(body, std::regex(R"(status.*\:.*running)"))) {
        return "on";
    }
    if (std::regex_search(body, std::regex(R"(status.*\:.*stopped)"))) {
        return "off";
    }
    return "unknown";
}

void expect_json_headers(const testing::Response& response) {
    EXPECT_EQ(response[http::field::content_type], "application/json");
    EXPECT_EQ(response[http::field::content_length], std::to_string(response.body().size()));
    EXPECT_EQ(response[http::field::location], "");
}

class HttpServerTest : public ::testing::Test {
protected:
    void start(FakeBridgeOptions options = {}) {
        if (options.yaml.empty()) {
            options.yaml = bridge_yaml();
        }
        bridge_ = std::make_unique<FakeBridge>(std::move(options));
        bridge_->start_server();
    }

    std::optional<testing::Response> maas(std::string_view method, std::string_view target) {
        return fetch(bridge_->port(), maas_request(method, target, bearer()));
    }

    std::unique_ptr<FakeBridge> bridge_;
};

TEST_F(HttpServerTest, MaasPowerSequence) {
    start();
    auto query = maas("GET", "/v1/machines/pi-01");
    ASSERT_TRUE(query);
    EXPECT_EQ(query->result_int(), 200);
    expect_json_headers(*query);
    EXPECT_EQ(maas_reads(query->body()), "off");

    // POST on exactly as MAAS sends it; the connection closes after the answer.
    HttpTestClient client(bridge_->port());
    auto on = client.exchange(maas_request("POST", "/v1/machines/pi-01/on", bearer()));
    ASSERT_TRUE(on);
    EXPECT_EQ(on->result_int(), 200);
    expect_json_headers(*on);
    EXPECT_FALSE(on->keep_alive());
    EXPECT_NE(on->body().find(R"("action":"on","changed":true)"), std::string::npos) << on->body();
    EXPECT_TRUE(client.closed_by_server());

    // MAAS's confirm loop: the very next query shows the new state.
    auto after_on = maas("GET", "/v1/machines/pi-01");
    ASSERT_TRUE(after_on);
    EXPECT_EQ(maas_reads(after_on->body()), "on");
    EXPECT_EQ(bridge_->device().port("Gi1/0/1")->admin, poe::AdminMode::automatic);

    // A repeated "on" is answered without touching the device.
    const auto writes = bridge_->device().counters().writes;
    auto again = maas("POST", "/v1/machines/pi-01/on");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->result_int(), 200);
    EXPECT_NE(again->body().find(R"("changed":false)"), std::string::npos) << again->body();
    EXPECT_EQ(bridge_->device().counters().writes, writes);

    auto cycle = maas("POST", "/v1/machines/pi-01/cycle");
    ASSERT_TRUE(cycle);
    EXPECT_EQ(cycle->result_int(), 200);
    EXPECT_EQ(maas_reads(cycle->body()), "on");
    EXPECT_EQ(bridge_->device().counters().writes, writes + 2);  // off, then on

    auto off = maas("POST", "/v1/machines/pi-01/off");
    ASSERT_TRUE(off);
    EXPECT_EQ(maas_reads(off->body()), "off");
    auto after_off = maas("GET", "/v1/machines/pi-01");
    ASSERT_TRUE(after_off);
    EXPECT_EQ(maas_reads(after_off->body()), "off");
    EXPECT_EQ(bridge_->device().port("Gi1/0/1")->admin, poe::AdminMode::never);
}

TEST_F(HttpServerTest, HostileMachineNameCannotFoolTheRegexes) {
    start();
    auto off = maas("GET", "/v1/machines/status-running");
    ASSERT_TRUE(off);
    EXPECT_EQ(off->result_int(), 200);
    EXPECT_EQ(maas_reads(off->body()), "off") << off->body();
    ASSERT_TRUE(maas("POST", "/v1/machines/status-running/on"));
    EXPECT_EQ(maas_reads(maas("GET", "/v1/machines/status-running")->body()), "on");
}

TEST_F(HttpServerTest, TrailingSlashesAndPortAddressing) {
    start();
    auto on = maas("POST", "/v1/machines/pi-04/on/");
    ASSERT_TRUE(on);
    EXPECT_EQ(on->result_int(), 200);
    auto status = maas("GET", "/v1/machines/pi-04/status/");
    ASSERT_TRUE(status);
    EXPECT_EQ(maas_reads(status->body()), "on");
    auto by_port = maas("GET", "/v1/switches/demo/ports/Gi1%2F0%2F4/");
    ASSERT_TRUE(by_port);
    EXPECT_EQ(by_port->result_int(), 200);
    EXPECT_EQ(maas_reads(by_port->body()), "on");
    auto off = maas("POST", "/v1/switches/demo/ports/gi1%2F0%2F04/off");
    ASSERT_TRUE(off);
    EXPECT_EQ(maas_reads(off->body()), "off");
}

TEST_F(HttpServerTest, ErrorsAreJsonAndNever404) {
    start();
    auto unknown = maas("GET", "/v1/machines/web-01");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->result_int(), 422);
    expect_json_headers(*unknown);
    EXPECT_EQ(unknown->body(),
              R"({"error":{"code":"unknown_machine","message":"unknown machine \"web-01\""}})");

    auto with_slash = maas("POST", "/v1/machines/web-01/on/");
    ASSERT_TRUE(with_slash);
    EXPECT_EQ(with_slash->result_int(), 422);

    auto no_route = maas("GET", "/v1/nothing/here");
    ASSERT_TRUE(no_route);
    EXPECT_EQ(no_route->result_int(), 400);
    expect_json_headers(*no_route);

    auto wrong_method = maas("POST", "/v1/machines/pi-01");
    ASSERT_TRUE(wrong_method);
    EXPECT_EQ(wrong_method->result_int(), 405);
    EXPECT_EQ((*wrong_method)[http::field::allow], "GET");

    auto bad_escape = maas("GET", "/v1/switches/demo/ports/Gi1%2");
    ASSERT_TRUE(bad_escape);
    EXPECT_EQ(bad_escape->result_int(), 400);
}

TEST_F(HttpServerTest, AuthenticationBearerBasicAndFailures) {
    start();
    const auto port = bridge_->port();
    EXPECT_EQ(fetch(port, maas_request("GET", "/v1/machines/pi-01", bearer()))->result_int(), 200);
    EXPECT_EQ(
        fetch(port, maas_request("GET", "/v1/machines/pi-01", basic_auth("maas", password)))->result_int(),
        200);

    for (const std::string& wrong : {std::string("Bearer Tok3n-for-MAA"), basic_auth("maas", "Pa55-w0rd"),
                                     basic_auth("root", password), std::string()}) {
        auto denied = fetch(port, maas_request("GET", "/v1/machines/pi-01", wrong));
        ASSERT_TRUE(denied);
        EXPECT_EQ(denied->result_int(), 401) << wrong;
        EXPECT_EQ((*denied)[http::field::www_authenticate], R"(Bearer, Basic realm="maas-bridge")");
        expect_json_headers(*denied);
    }
    auto health = fetch(port, maas_request("GET", "/healthz"));
    ASSERT_TRUE(health);
    EXPECT_EQ(health->result_int(), 200);
    EXPECT_EQ(health->body(), R"({"status":"ok"})");
}

TEST_F(HttpServerTest, KeepAlivePipeliningAndHttp10) {
    start();
    HttpTestClient client(bridge_->port());
    for (int i = 0; i < 3; ++i) {
        auto response = client.exchange(get_request("/v1/machines/pi-01", bearer()));
        ASSERT_TRUE(response) << i;
        EXPECT_EQ(response->result_int(), 200);
        EXPECT_TRUE(response->keep_alive());
    }
    // Two requests in one write: answered in order.
    client.send(get_request("/v1/machines/web-01", bearer()) + get_request("/healthz"));
    auto first = client.read_response();
    auto second = client.read_response();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->result_int(), 422);
    EXPECT_EQ(second->result_int(), 200);

    HttpTestClient old(bridge_->port());
    auto response = old.exchange("GET /healthz HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->version(), 10U);
    EXPECT_EQ(response->result_int(), 200);
    EXPECT_TRUE(old.closed_by_server());
}

TEST_F(HttpServerTest, SizeLimits) {
    start(with_yaml(bridge_yaml("  max_header_bytes: 2048\n  max_body_bytes: 16\n")));
    HttpTestClient big(bridge_->port());
    auto oversized =
        big.exchange("GET /healthz HTTP/1.1\r\nX-Filler: " + std::string(4096, 'a') + "\r\n\r\n");
    ASSERT_TRUE(oversized);
    EXPECT_EQ(oversized->result_int(), 431);
    expect_json_headers(*oversized);
    EXPECT_TRUE(big.closed_by_server());

    // The bridge still serves the next connection.
    EXPECT_EQ(fetch(bridge_->port(), get_request("/healthz"))->result_int(), 200);

    auto body = fetch(bridge_->port(), "POST /v1/machines/pi-01/on HTTP/1.1\r\nAuthorization: " + bearer() +
                                           "\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x'));
    ASSERT_TRUE(body);
    EXPECT_EQ(body->result_int(), 413);
}

TEST_F(HttpServerTest, SlowAndIdleClientsAreDisconnected) {
    start(with_yaml(bridge_yaml("  read_timeout: 200ms\n  idle_timeout: 200ms\n")));
    HttpTestClient slow(bridge_->port());
    slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
    EXPECT_TRUE(slow.closed_by_server());

    HttpTestClient idle(bridge_->port());
    ASSERT_TRUE(idle.exchange(get_request("/healthz")));
    EXPECT_TRUE(idle.closed_by_server());
}

TEST_F(HttpServerTest, ATricklingClientIsCutOffAtTheReadTimeoutWithoutAnAnswer) {
    // Slowloris: each byte arrives long before a silent connection would
    // time out, but the request as a whole takes ten times read_timeout.
    // The timeout covers the whole request, so the bridge hangs up.
    start(with_yaml(bridge_yaml("  read_timeout: 300ms\n  idle_timeout: 10s\n")));
    HttpTestClient slow(bridge_->port());
    const std::string request = get_request("/healthz");
    const auto gap = std::chrono::milliseconds(3000) / request.size();
    std::size_t sent = 0;
    try {
        for (; sent < request.size(); ++sent) {
            slow.send(request.substr(sent, 1));
            std::this_thread::sleep_for(gap);
        }
    } catch (const boost::system::system_error&) {
        // Writing to the closed connection fails: expected.
    }
    EXPECT_LT(sent, request.size()) << "the bridge accepted a request trickled over 3 s";
    EXPECT_TRUE(slow.closed_by_server()) << "the bridge answered a request that took too long to arrive";
    EXPECT_EQ(fetch(bridge_->port(), get_request("/healthz"))->result_int(), 200);
}

TEST_F(HttpServerTest, ConnectionLimitAnswers503) {
    start(with_yaml(bridge_yaml("  max_connections: 1\n")));
    HttpTestClient first(bridge_->port());
    ASSERT_TRUE(first.exchange(get_request("/healthz")));  // now surely counted
    auto rejected = fetch(bridge_->port(), get_request("/healthz"));
    ASSERT_TRUE(rejected);
    EXPECT_EQ(rejected->result_int(), 503);
    EXPECT_EQ((*rejected)[http::field::retry_after], "1");
    expect_json_headers(*rejected);
    // The first connection is unaffected.
    EXPECT_EQ(first.exchange(get_request("/healthz"))->result_int(), 200);
}

TEST_F(HttpServerTest, DeviceFailuresMapToStatuses) {
    start(with_yaml(bridge_yaml("  request_timeout: 300ms\n", "  cache_ttl: 0s\n")));
    bridge_->device().fail_next(poe::fake::Operation::write,
                                poe::make_error(poe::ErrorCode::device_rejected, "switch said no",
                                                "% Invalid input detected at '^' marker."));
    auto rejected = maas("POST", "/v1/machines/pi-05/on");
    ASSERT_TRUE(rejected);
    EXPECT_EQ(rejected->result_int(), 502);
    EXPECT_NE(rejected->body().find(R"("device_text":"% Invalid input detected at '^' marker.")"),
              std::string::npos)
        << rejected->body();

    bridge_->device().hang_next(poe::fake::Operation::read);
    auto slow = maas("GET", "/v1/machines/pi-06");
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->result_int(), 504);
    expect_json_headers(*slow);
}

TEST_F(HttpServerTest, GracefulStopFinishesTheRequestInFlight) {
    auto gate = std::make_shared<testing::WriteGate>();
    FakeBridgeOptions options = with_yaml(bridge_yaml());
    options.gate = gate;
    start(std::move(options));

    HttpTestClient idle(bridge_->port());
    ASSERT_TRUE(idle.exchange(get_request("/healthz")));  // an idle keep-alive connection

    HttpTestClient busy(bridge_->port());
    busy.send(maas_request("POST", "/v1/machines/pi-02/on", bearer()));
    ASSERT_EQ(gate->entered().wait_for(std::chrono::seconds(5)), std::future_status::ready);

    bridge_->server().stop();
    EXPECT_TRUE(idle.closed_by_server());  // idle connections close at once
    gate->open();
    auto response = busy.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200);
    EXPECT_FALSE(response->keep_alive());
    EXPECT_EQ(maas_reads(response->body()), "on");
    bridge_->stop_server();  // returns once drained
    EXPECT_EQ(bridge_->device().port("Gi1/0/2")->admin, poe::AdminMode::automatic);
}

TEST_F(HttpServerTest, StopClosesConnectionsAfterTheGrace) {
    auto gate = std::make_shared<testing::WriteGate>();
    FakeBridgeOptions options = with_yaml(bridge_yaml("  shutdown_grace: 100ms\n"));
    options.gate = gate;
    start(std::move(options));
    HttpTestClient stuck(bridge_->port());
    stuck.send(maas_request("POST", "/v1/machines/pi-03/on", bearer()));
    ASSERT_EQ(gate->entered().wait_for(std::chrono::seconds(5)), std::future_status::ready);
    bridge_->server().stop();
    EXPECT_TRUE(stuck.closed_by_server());
    bridge_->stop_server();
    gate->open();  // let the controller's worker finish so the fixture can be destroyed
}

TEST_F(HttpServerTest, CredentialsNeverAppearInLogs) {
    const testing::LogCapture logs;
    start();
    const auto port = bridge_->port();
    const std::string basic = basic_auth("maas", password);
    EXPECT_EQ(fetch(port, maas_request("POST", "/v1/machines/pi-01/on", bearer()))->result_int(), 200);
    EXPECT_EQ(fetch(port, maas_request("GET", "/v1/machines/pi-01", basic))->result_int(), 200);
    EXPECT_EQ(fetch(port, maas_request("GET", "/v1/machines/pi-01", bearer() + "x"))->result_int(), 401);
    EXPECT_EQ(fetch(port, maas_request("GET", "/v1/machines/pi-01",
                                       basic_auth("maas", "x" + std::string(password))))
                  ->result_int(),
              401);
    EXPECT_EQ(fetch(port, "GET /v1/machines/pi-01 HTTP/1.1\r\nAuthorization: " + bearer() +
                              "\r\nX-Bad: " + std::string(9000, 'z') + "\r\n\r\n")
                  ->result_int(),
              431);
    bridge_->stop_server();

    const std::string text = logs.text();
    EXPECT_NE(text.find("POST /v1/machines/pi-01/on 200"), std::string::npos) << text;
    EXPECT_NE(text.find("identity=maas-token"), std::string::npos) << text;
    EXPECT_NE(text.find("identity=maas\n"), std::string::npos) << text;
    EXPECT_NE(text.find("outcome=unauthenticated"), std::string::npos) << text;
    for (const std::string& secret :
         {std::string(token), std::string(password), basic.substr(6), std::string("Pa55-w0rd")}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << "secret in logs: " << secret;
    }
    EXPECT_EQ(text.find("Authorization"), std::string::npos);
}

}  // namespace
}  // namespace maas_bridge

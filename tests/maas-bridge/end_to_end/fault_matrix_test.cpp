// SPDX-License-Identifier: Apache-2.0
// Switch faults as MAAS sees them: real HTTP -> in-process bridge ->
// cisco-ios driver -> SSH -> ios-sim with a fault injected at run time.
// Each row checks that both a query and a power change are answered before
// their deadline with the documented status and error code, that the next
// request after the fault is cleared succeeds without restarting anything,
// that the switch is never left in config mode nor driven by two commands
// at once, and that no port changes unless a request asked for it.
//
// Timing: limits.request_timeout is 2 s. "Answered" means a complete HTTP
// response within request_timeout + 5 s (a hang detector, not a speed
// check). Recovery is polled with a deadline: after two counted failures
// libpoe's circuit breaker rests the switch for 1 s (doubling per further
// failure, up to 30 s), and answers 503 `unavailable` meanwhile.

#include "end_to_end/sim_bridge.hpp"

#include "ios_sim_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <future>
#include <iostream>
#include <thread>

namespace maas_bridge::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto request_timeout = 2s;
constexpr auto hang_detector = request_timeout + 5s;
constexpr auto recovery_limit = 15s;
constexpr const char* queried = "/v1/machines/core-5";      // Gi1/0/5: only ever read
constexpr const char* written = "/v1/machines/core-6/off";  // Gi1/0/6: the one port a request writes
constexpr const char* written_port = "Gi1/0/6";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

struct Expected {
    unsigned status{200};
    std::string code;                      ///< error.code; empty for 200
    std::vector<std::string> message_has;  ///< lower-case substrings of error.message
};

class FaultMatrix;

struct FaultRow {
    std::string name;
    std::function<void(FaultMatrix&)> inject;
    std::function<void(FaultMatrix&)> clear;
    Expected query;  ///< GET of a machine on the faulty switch
    Expected power;  ///< POST off of another machine on it
    /// Sessions the switch itself ended (or hung) while our session was in
    /// config mode: only possible when the fault hits a config command.
    int sessions_killed_in_config_mode{0};
    /// The switch is not there at all until clear() starts it.
    bool switch_absent{false};
};

void PrintTo(const FaultRow& row, std::ostream* out) {
    *out << row.name;
}

class FaultMatrix : public ::testing::TestWithParam<FaultRow> {
public:
    poe_test::IosSimProcess& sim() { return *sim_; }
    [[nodiscard]] std::uint16_t sim_port() const { return sim_port_; }

    void start_sim(const std::string& listen = "127.0.0.1:0") {
        poe_test::IosSimOptions options;
        options.ports = "Gi1/0/1-8";
        options.listen = listen;
        sim_ = poe_test::IosSimProcess::start(options);
    }

    /// Occupies one vty line with a bare TCP connection (as a forgotten
    /// terminal session would).
    void hold_vty_line() {
        held_line_.emplace(context_);
        boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), sim_port_);
        held_line_->connect(endpoint);
    }
    void release_vty_line() { held_line_.reset(); }

    /// Waits until no client holds a session on the switch.
    void wait_until_no_sessions() {
        sim_->wait_for_stats([](const auto& s) { return sim_counter(s, "sessions_active") == 0; });
    }

protected:
    void SetUp() override {
        start_sim();
        sim_port_ = sim_->port();
        fingerprint_ = sim_->host_key_fingerprint();
        if (GetParam().switch_absent) {
            sim_.reset();  // nothing listens on sim_port_ any more
        }
        SimBridgeOptions options;
        options.switches.push_back(SimSwitch{"core", sim_port_, fingerprint_});
        bridge_ = std::make_unique<SimBridge>(options);
    }

    TimedResponse request(std::string_view method, std::string_view target) {
        auto response = timed_fetch(bridge_->port(), method, target, hang_detector,
                                    std::string("Bearer ") + sim_bridge_token);
        EXPECT_TRUE(response.response.has_value())
            << method << " " << target << " got no answer within " << hang_detector.count() << " s";
        EXPECT_LT(response.elapsed, hang_detector) << method << " " << target;
        return response;
    }

    static void expect_answer(const TimedResponse& response, const Expected& expected,
                              const std::string& what) {
        SCOPED_TRACE(what + " -> " + std::to_string(response.status()) + " " + response.body());
        EXPECT_EQ(response.status(), expected.status);
        if (expected.status == 200) {
            return;
        }
        const ErrorBody error = error_body_of(response);
        EXPECT_EQ(error.code, expected.code);
        for (const auto& part : expected.message_has) {
            EXPECT_NE(lower(error.message).find(part), std::string::npos)
                << "message lacks \"" << part << "\"";
        }
    }

    std::unique_ptr<poe_test::IosSimProcess> sim_;
    std::uint16_t sim_port_{0};
    std::string fingerprint_;
    std::unique_ptr<SimBridge> bridge_;
    boost::asio::io_context context_;
    std::optional<boost::asio::ip::tcp::socket> held_line_;
};

TEST_P(FaultMatrix, AnsweredInTimeRecoversAndLeavesOtherPortsAlone) {
    const FaultRow& row = GetParam();
    std::map<std::string, std::string> before;
    if (!row.switch_absent) {
        // A working session first: the fault hits a bridge in steady state.
        const auto warm = request("GET", queried);
        ASSERT_EQ(warm.status(), 200) << warm.body();
        before = port_modes(sim_->stats());
    }

    row.inject(*this);
    const auto query = request("GET", queried);
    expect_answer(query, row.query, "GET during the fault");
    const auto power = request("POST", written);
    expect_answer(power, row.power, "POST off during the fault");
    std::cout << "[ fault " << row.name << " ] GET " << query.status() << " after " << query.elapsed.count()
              << " ms: " << query.body() << "\n[ fault " << row.name << " ] POST " << power.status()
              << " after " << power.elapsed.count() << " ms: " << power.body() << "\n";

    // Still faulty: either the same answer again, or, once the switch has
    // failed twice in a row, a fast 503 that names the last failure.
    const auto again = request("GET", queried);
    if (again.status() == 503) {
        const ErrorBody error = error_body_of(again);
        EXPECT_EQ(error.code, "unavailable") << again.body();
        EXPECT_NE(error.message.find(row.query.code), std::string::npos) << again.body();
        EXPECT_TRUE(again.response->count("Retry-After")) << "503 without Retry-After";
    } else {
        expect_answer(again, row.query, "GET while the fault lasts");
    }

    row.clear(*this);
    if (row.switch_absent) {
        before = port_modes(sim_->stats());
    }
    const auto cleared_at = Clock::now();
    TimedResponse recovered;
    while (true) {
        recovered = request("GET", queried);
        if (recovered.status() == 200 || Clock::now() - cleared_at > recovery_limit || !recovered.response) {
            break;
        }
        // Not yet: only "resting" answers or the fault's own are acceptable.
        const ErrorBody error = error_body_of(recovered);
        EXPECT_TRUE(error.code == "unavailable" || error.code == row.query.code ||
                    error.code == row.power.code)
            << recovered.body();
        std::this_thread::sleep_for(100ms);
    }
    const auto recovery_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - cleared_at);
    ASSERT_EQ(recovered.status(), 200)
        << "not recovered " << recovery_ms.count() << " ms after clearing the fault: " << recovered.body();
    std::cout << "[ fault " << row.name << " ] recovered " << recovery_ms.count() << " ms after clearing\n";
    EXPECT_EQ(maas_reading(recovered.body()), "on");

    // Power changes work again and the query shows them at once.
    const auto off = request("POST", written);
    ASSERT_EQ(off.status(), 200) << off.body();
    EXPECT_EQ(maas_reading(request("GET", "/v1/machines/core-6").body()), "off");
    EXPECT_EQ(port_modes(sim_->stats()).at(written_port), "never");
    const auto on = request("POST", "/v1/machines/core-6/on");
    ASSERT_EQ(on.status(), 200) << on.body();
    EXPECT_EQ(maas_reading(on.body()), "on");

    // Every session is closed (the bridge logs out on shutdown) before the
    // switch's session counters are final.
    bridge_.reset();
    release_vty_line();
    wait_until_no_sessions();
    const auto stats = sim_->stats();
    EXPECT_EQ(sim_counter(stats, "concurrent_command_violations"), 0);
    EXPECT_EQ(sim_counter(stats, "sessions_ended_in_config_mode"), row.sessions_killed_in_config_mode);
    const auto after = port_modes(stats);
    EXPECT_EQ(after, before) << "a port changed that no request asked to change";
}

// Drops the live session so the next request must log in again, as after
// a switch reload; then the login meets the fault.
void drop_sessions(FaultMatrix& m) {
    m.sim().control_ok("drop-sessions");
    m.wait_until_no_sessions();
}

const Expected ok{200, "", {}};
const Expected timed_out{504, "timeout", {"did not answer before the request deadline"}};

std::vector<FaultRow> fault_rows() {
    return {
        {"slow_within_deadline",
         [](FaultMatrix& m) { m.sim().control_ok("fault slow 'show power inline' 500"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear slow"); }, ok, ok},
        {"slow_past_deadline",
         [](FaultMatrix& m) { m.sim().control_ok("fault slow 'show power inline' 3000"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear slow"); }, timed_out, timed_out},
        {"hung_reading", [](FaultMatrix& m) { m.sim().control_ok("fault hang 'show power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear hang"); }, timed_out, timed_out},
        {"hung_in_config_mode", [](FaultMatrix& m) { m.sim().control_ok("fault hang 'power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear hang"); }, ok, timed_out, 1},
        {"dropped_once_reading",
         [](FaultMatrix& m) { m.sim().control_ok("fault drop 'show power inline' 1"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear drop"); }, ok, ok},
        {"dropped_every_read", [](FaultMatrix& m) { m.sim().control_ok("fault drop 'show power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear drop"); },
         Expected{502, "connection_lost", {"connection"}}, Expected{502, "connection_lost", {"connection"}}},
        {"dropped_once_in_config_mode",
         [](FaultMatrix& m) { m.sim().control_ok("fault drop 'power inline' 1"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear drop"); }, ok, ok, 1},
        {"garbage_output_reading",
         [](FaultMatrix& m) { m.sim().control_ok("fault garbage 'show power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear garbage"); },
         Expected{502, "parse_error", {"show power inline"}},
         Expected{502, "parse_error", {"show power inline"}}},
        {"garbage_output_writing", [](FaultMatrix& m) { m.sim().control_ok("fault garbage 'power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear garbage"); }, ok,
         Expected{502, "device_rejected", {"gi1/0/6"}}},
        {"invalid_input_reading",
         [](FaultMatrix& m) { m.sim().control_ok("fault invalid 'show power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear invalid"); },
         Expected{502, "device_rejected", {"invalid input"}},
         Expected{502, "device_rejected", {"invalid input"}}},
        {"invalid_input_writing", [](FaultMatrix& m) { m.sim().control_ok("fault invalid 'power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear invalid"); }, ok,
         Expected{502, "device_rejected", {"invalid input"}}},
        {"command_rejected", [](FaultMatrix& m) { m.sim().control_ok("fault rejected 'power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear rejected"); }, ok,
         Expected{502, "device_rejected", {"command rejected"}}},
        {"command_authorization_failed",
         [](FaultMatrix& m) { m.sim().control_ok("fault authorization-failed 'power inline'"); },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear authorization-failed"); }, ok,
         Expected{502, "device_rejected", {"command authorization failed"}}},
        {"authentication_refused",
         [](FaultMatrix& m) {
             m.sim().control_ok("fault refuse-login");
             drop_sessions(m);
         },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear refuse-login"); },
         Expected{502, "auth_failed", {"refused the login"}},
         Expected{502, "auth_failed", {"refused the login"}}},
        {"enable_refused",
         [](FaultMatrix& m) {
             m.sim().control_ok("fault refuse-enable");
             drop_sessions(m);
         },
         [](FaultMatrix& m) { m.sim().control_ok("fault clear refuse-enable"); },
         Expected{502, "auth_failed", {"enable"}}, Expected{502, "auth_failed", {"enable"}}},
        {"vty_lines_exhausted",
         [](FaultMatrix& m) {
             drop_sessions(m);
             m.hold_vty_line();
             m.sim().wait_for_stats([](const auto& s) { return sim_counter(s, "sessions_active") == 1; });
             m.sim().control_ok("set max-sessions 1");
         },
         [](FaultMatrix& m) { m.release_vty_line(); }, Expected{502, "connect_failed", {"vty lines"}},
         Expected{502, "connect_failed", {"vty lines"}}},
        {"login_rate_limit_hit",
         [](FaultMatrix& m) {
             m.sim().control_ok("set login-rate 1");  // the bridge's first login used it up
             drop_sessions(m);
         },
         [](FaultMatrix& m) { m.sim().control_ok("set login-rate 0"); },
         Expected{502, "auth_failed", {"refused the login"}},
         Expected{502, "auth_failed", {"refused the login"}}},
        {"host_key_changed",
         [](FaultMatrix& m) {
             const auto other = m.sim().generate_key("ed25519", "other_host_key");
             m.sim().control_ok("set host-key " + other.string());
             drop_sessions(m);
         },
         [](FaultMatrix& m) {
             m.sim().control_ok("set host-key " + m.sim().ed25519_host_key_path().string() + " " +
                                m.sim().rsa_host_key_path().string());
         },
         Expected{502, "host_key_mismatch", {"host key"}}, Expected{502, "host_key_mismatch", {"host key"}}},
        {"switch_unreachable", [](FaultMatrix&) {},
         [](FaultMatrix& m) { m.start_sim("127.0.0.1:" + std::to_string(m.sim_port())); },
         Expected{502, "connect_failed", {"cannot connect", "refused"}},
         Expected{502, "connect_failed", {"cannot connect", "refused"}}, 0, true},
    };
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrix, ::testing::ValuesIn(fault_rows()),
                         [](const ::testing::TestParamInfo<FaultRow>& row) { return row.param.name; });

// One hung switch must not hold up another: the bridge serves the healthy
// switch normally while requests to the hung one are still pending.
TEST(FaultIsolation, AHungSwitchDoesNotDelayAHealthyOne) {
    poe_test::IosSimOptions sim_options;
    sim_options.ports = "Gi1/0/1-8";
    auto hung = poe_test::IosSimProcess::start(sim_options);
    auto healthy = poe_test::IosSimProcess::start(sim_options);
    SimBridgeOptions options;
    // A longer deadline than the matrix: the healthy switch's requests
    // (with a first login) must fit well inside it even on a loaded machine.
    options.limits = "  request_timeout: 6s\n  cycle_timeout: 10s\n";
    options.switches.push_back(SimSwitch{"stuck", hung->port(), hung->host_key_fingerprint()});
    options.switches.push_back(SimSwitch{"fine", healthy->port(), healthy->host_key_fingerprint()});
    SimBridge bridge(options);
    const std::string auth = std::string("Bearer ") + sim_bridge_token;
    const auto call = [&](std::string_view method, std::string target) {
        return timed_fetch(bridge.port(), method, target, 6s + 5s, auth);
    };

    hung->control_ok("fault hang 'show power inline'");
    std::vector<std::future<TimedResponse>> stuck;
    stuck.push_back(std::async(std::launch::async, call, "GET", "/v1/machines/stuck-1"));
    // The switch has received the command it will never answer.
    hung->wait_for_stats([](const auto& s) {
        const auto& by_name = s.at("commands_by_name").as_object();
        return by_name.contains("show power inline") && by_name.at("show power inline").as_int64() >= 1;
    });
    stuck.push_back(std::async(std::launch::async, call, "POST", "/v1/machines/stuck-2/off"));
    stuck.push_back(std::async(std::launch::async, call, "GET", "/v1/switches/stuck"));

    const std::vector<std::pair<std::string, std::string>> healthy_requests{
        {"GET", "/v1/machines/fine-1"},
        {"POST", "/v1/machines/fine-2/off"},
        {"GET", "/v1/machines/fine-2"},
        {"POST", "/v1/machines/fine-2/on"},
        {"GET", "/v1/switches/fine"},
        {"GET", "/v1/switches"},
        {"GET", "/metrics"},
    };
    for (const auto& [method, target] : healthy_requests) {
        const auto answer = call(method, target);
        EXPECT_EQ(answer.status(), 200) << method << " " << target << ": " << answer.body();
        for (auto& pending : stuck) {
            ASSERT_EQ(pending.wait_for(0s), std::future_status::timeout)
                << "a request to the hung switch was answered before " << method << " " << target
                << " to the healthy one";
        }
    }
    for (auto& pending : stuck) {
        const auto answer = pending.get();
        EXPECT_EQ(answer.status(), 504) << answer.body();
        EXPECT_EQ(error_body_of(answer).code, "timeout");
    }
    EXPECT_EQ(sim_counter(healthy->stats(), "logins"), 1);
    EXPECT_EQ(sim_counter(healthy->stats(), "concurrent_command_violations"), 0);
}

}  // namespace
}  // namespace maas_bridge::testing

// SPDX-License-Identifier: Apache-2.0
// Soak: many MAAS-shaped clients send random on/off/cycle/query requests for
// the ports of two ios-sim switches, through one in-process bridge, for
// SOAK_SECONDS (default 12; `make soak` runs it for 300). No faults are
// injected, so every request must succeed, and afterwards every port on the
// switches must be exactly what the bridge last acknowledged.
//
// Concurrent writes to one port: a client cannot know which of two
// overlapping writes the switch applied last. Ports 1-8 of each switch are
// therefore written by one client at a time (a per-port client lock), and
// all of them are checked. Ports 9-12 are written by anyone at any time
// (the controller sees same-port contention); one of those is checked when
// its last write was sent after every other write to it had been answered,
// which orders the writes without relying on the bridge's internals.

#include "end_to_end/sim_bridge.hpp"

#include "ios_sim_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

namespace maas_bridge::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int ports_per_switch = 12;
constexpr int serialised_ports = 8;  // 1-8 locked per port, 9-12 contended
constexpr int client_threads = 8;

std::chrono::seconds soak_duration() {
    if (const char* text = std::getenv("SOAK_SECONDS")) {
        const int seconds = std::atoi(text);
        if (seconds > 0) {
            return std::chrono::seconds(seconds);
        }
    }
    return 12s;
}

struct Write {
    Clock::time_point sent;
    Clock::time_point acked;
    std::string mode;  // what the switch must show: "auto" or "never"
};

struct PortTrack {
    std::string switch_id;
    int number{0};
    std::mutex client_lock;  // held across a write on serialised ports
    std::mutex record_lock;
    std::vector<Write> writes;

    [[nodiscard]] std::string machine() const { return switch_id + "-" + std::to_string(number); }
    [[nodiscard]] bool serialised() const { return number <= serialised_ports; }
};

struct Tally {
    std::atomic<long> requests{0};
    std::atomic<long> failures{0};
    std::mutex lock;
    std::vector<std::string> first_failures;

    void fail(const std::string& what) {
        ++failures;
        const std::lock_guard guard(lock);
        if (first_failures.size() < 20) {
            first_failures.push_back(what);
        }
    }
};

TEST(Soak, RandomTrafficOnTwoSwitchesEndsInTheAcknowledgedState) {
    poe_test::IosSimOptions sim_options;
    sim_options.ports = "Gi1/0/1-" + std::to_string(ports_per_switch);
    auto sim_a = poe_test::IosSimProcess::start(sim_options);
    auto sim_b = poe_test::IosSimProcess::start(sim_options);
    SimBridgeOptions options;
    // Generous deadlines: nothing is injected, a 504 would be a real failure.
    options.limits = "  request_timeout: 20s\n  cycle_timeout: 30s\n";
    options.policy = "  cache_ttl: 2s\n  cycle_dwell: 50ms\n";
    options.http_threads = 2;
    options.switches.push_back(SimSwitch{"a", sim_a->port(), sim_a->host_key_fingerprint()});
    options.switches.push_back(SimSwitch{"b", sim_b->port(), sim_b->host_key_fingerprint()});
    SimBridge bridge(options);
    const std::string auth = std::string("Bearer ") + sim_bridge_token;

    std::vector<std::unique_ptr<PortTrack>> ports;
    for (const char* id : {"a", "b"}) {
        for (int n = 1; n <= ports_per_switch; ++n) {
            auto track = std::make_unique<PortTrack>();
            track->switch_id = id;
            track->number = n;
            ports.push_back(std::move(track));
        }
    }

    const auto duration = soak_duration();
    const unsigned seed = std::random_device{}();
    std::cout << "[ soak ] " << duration.count() << " s, " << client_threads << " clients, seed " << seed
              << "\n";
    Tally tally;
    const auto stop_at = Clock::now() + duration;
    const auto call = [&](std::string_view method, const std::string& target) {
        ++tally.requests;
        return timed_fetch(bridge.port(), method, target, 40s, auth);
    };

    const auto client = [&](unsigned client_seed) {
        std::mt19937 random(client_seed);
        std::uniform_int_distribution<std::size_t> pick_port(0, ports.size() - 1);
        std::uniform_int_distribution<int> pick_action(0, 99);
        while (Clock::now() < stop_at) {
            PortTrack& port = *ports[pick_port(random)];
            const int roll = pick_action(random);
            if (roll < 5) {
                const auto listing = call("GET", "/v1/switches/" + port.switch_id);
                if (listing.status() != 200) {
                    tally.fail("GET switch " + port.switch_id + ": " + listing.body());
                }
                continue;
            }
            if (roll < 35) {
                const auto query = call("GET", "/v1/machines/" + port.machine());
                if (query.status() != 200 || maas_reading(query.body()) == "unknown") {
                    tally.fail("GET " + port.machine() + ": " + query.body());
                }
                continue;
            }
            const char* action = roll < 60 ? "on" : (roll < 85 ? "off" : "cycle");
            const std::string expected_mode = std::string(action) == "off" ? "never" : "auto";
            std::unique_lock client_lock(port.client_lock, std::defer_lock);
            if (port.serialised()) {
                client_lock.lock();
            }
            Write write;
            write.sent = Clock::now();
            const auto answer = call("POST", "/v1/machines/" + port.machine() + "/" + action);
            write.acked = Clock::now();
            write.mode = expected_mode;
            if (answer.status() != 200) {
                tally.fail(std::string("POST ") + action + " " + port.machine() + ": " + answer.body());
                continue;
            }
            if (maas_reading(answer.body()) != (expected_mode == "never" ? "off" : "on")) {
                tally.fail(std::string("POST ") + action + " " + port.machine() + " answered " +
                           answer.body());
            }
            {
                const std::lock_guard record(port.record_lock);
                port.writes.push_back(write);
            }
            // Read-your-write: with nobody else writing this port, a query
            // right after the acknowledgement shows the new state.
            if (port.serialised() && roll % 3 == 0) {
                const auto query = call("GET", "/v1/machines/" + port.machine());
                if (query.status() != 200 ||
                    maas_reading(query.body()) != (expected_mode == "never" ? "off" : "on")) {
                    tally.fail("GET " + port.machine() + " after " + action + ": " + query.body());
                }
            }
        }
    };
    std::vector<std::thread> clients;
    for (int i = 0; i < client_threads; ++i) {
        clients.emplace_back(client, seed + static_cast<unsigned>(i));
    }
    for (auto& thread : clients) {
        thread.join();
    }

    std::cout << "[ soak ] " << tally.requests.load() << " requests ("
              << static_cast<double>(tally.requests.load()) / static_cast<double>(duration.count())
              << "/s)\n";
    EXPECT_EQ(tally.failures.load(), 0);
    for (const auto& failure : tally.first_failures) {
        ADD_FAILURE() << failure;
    }

    const std::map<std::string, std::map<std::string, std::string>> modes{{"a", port_modes(sim_a->stats())},
                                                                          {"b", port_modes(sim_b->stats())}};
    int checked = 0;
    int contended_checked = 0;
    for (const auto& port : ports) {
        const std::string name = "Gi1/0/" + std::to_string(port->number);
        const std::string actual = modes.at(port->switch_id).at(name);
        if (port->writes.empty()) {
            EXPECT_EQ(actual, "auto") << port->machine() << " was never written";
            ++checked;
            continue;
        }
        const auto last = std::max_element(port->writes.begin(), port->writes.end(),
                                           [](const Write& x, const Write& y) { return x.sent < y.sent; });
        const bool ordered = std::all_of(port->writes.begin(), port->writes.end(), [&](const Write& other) {
            return &other == &*last || other.acked < last->sent;
        });
        if (port->serialised()) {
            EXPECT_TRUE(ordered) << port->machine() << ": the client lock should have ordered its writes";
        }
        if (ordered) {
            EXPECT_EQ(actual, last->mode) << port->machine() << " after " << port->writes.size() << " writes";
            ++checked;
            contended_checked += port->serialised() ? 0 : 1;
        }
    }
    std::cout << "[ soak ] checked " << checked << " of " << ports.size() << " ports (" << contended_checked
              << " contended ones)\n";

    for (auto* sim : {sim_a.get(), sim_b.get()}) {
        const auto stats = sim->stats();
        EXPECT_EQ(sim_counter(stats, "concurrent_command_violations"), 0);
        EXPECT_EQ(sim_counter(stats, "sessions_ended_in_config_mode"), 0);
        EXPECT_EQ(sim_counter(stats, "logins"), 1) << "the bridge must reuse its one session per switch";
        EXPECT_EQ(sim_counter(stats, "login_failures"), 0);
    }
}

}  // namespace
}  // namespace maas_bridge::testing

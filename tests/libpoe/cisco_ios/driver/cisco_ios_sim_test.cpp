// SPDX-License-Identifier: Apache-2.0
// The cisco-ios driver over real SSH against ios-sim on 127.0.0.1: alone
// and inside a poe::SwitchController.

#include "cisco_ios/cisco_ios_driver.hpp"

#include "ios_sim_process.hpp"

#include <poe/registry.hpp>
#include <poe/switch_controller.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <sstream>

namespace {

using namespace std::chrono_literals;
using poe::AdminMode;
using poe::ErrorCode;
using poe::PortChange;
using poe::PowerAction;
using poe_test::IosSimOptions;
using poe_test::IosSimProcess;
using testing::HasSubstr;

constexpr auto generous = 10s;

std::uint64_t counter(const boost::json::object& stats, const char* name) {
    return stats.at(name).to_number<std::uint64_t>();
}

std::uint64_t command_count(const boost::json::object& stats, const char* name) {
    const auto& by_name = stats.at("commands_by_name").as_object();
    const auto it = by_name.find(name);
    return it == by_name.end() ? 0 : it->value().to_number<std::uint64_t>();
}

std::string port_mode(const boost::json::object& stats, const std::string& port) {
    const auto& ports = stats.at("ports").as_object();
    return std::string(ports.at(port).as_object().at("mode").as_string());
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "ssh-ed25519 AAAA... comment" → "[127.0.0.1]:port ssh-ed25519 AAAA...".
std::string known_hosts_line(const IosSimProcess& sim, const std::filesystem::path& private_key) {
    std::istringstream pub(read_text(private_key.string() + ".pub"));
    std::string type;
    std::string base64;
    pub >> type >> base64;
    return "[127.0.0.1]:" + std::to_string(sim.port()) + " " + type + " " + base64 + "\n";
}

poe::DriverOptions options_for(const IosSimProcess& sim) {
    return {{"host", sim.host()},          {"port", std::to_string(sim.port())},
            {"username", "admin"},         {"password", "secret"},
            {"enable_secret", "enablepw"}, {"host_key_fingerprint", sim.host_key_fingerprint()},
            {"connect_timeout_ms", "5000"}};
}

std::unique_ptr<poe::Driver> make_driver(const poe::DriverOptions& options) {
    poe::Registry registry;
    EXPECT_TRUE(poe::register_builtin_drivers(registry).ok());
    auto driver = registry.create("cisco-ios", options);
    if (!driver) {
        ADD_FAILURE() << driver.error().message;
        return nullptr;
    }
    return std::move(driver).value();
}

std::unique_ptr<poe::SwitchController> make_controller(const IosSimProcess& sim,
                                                       poe::ControllerOptions options = {},
                                                       const poe::DriverOptions& extra = {}) {
    auto driver_options = options_for(sim);
    for (const auto& [key, value] : extra) {
        driver_options[key] = value;
    }
    options.keepalive_interval = 0ms;  // tests count commands
    auto controller = poe::SwitchController::create("sim", make_driver(driver_options), options);
    if (!controller) {
        ADD_FAILURE() << controller.error().message;
        return nullptr;
    }
    return std::move(controller).value();
}

// The simulator counts a session as ended only once it saw the disconnect.
boost::json::object stats_when_idle(IosSimProcess& sim) {
    return sim.wait_for_stats([](const auto& s) { return counter(s, "sessions_active") == 0; });
}

const poe::PortStatus* find(const std::vector<poe::PortStatus>& ports, const std::string& name) {
    for (const auto& port : ports) {
        if (port.name == name) {
            return &port;
        }
    }
    return nullptr;
}

TEST(CiscoIosSim, ConnectsEnablesReadsAndSwitchesPorts) {
    IosSimOptions sim_options;
    sim_options.write_delay_ms = 20;
    auto sim = IosSimProcess::start(sim_options);
    auto driver = make_driver(options_for(*sim));
    ASSERT_TRUE(driver);

    const auto connect_start = poe::Clock::now();
    ASSERT_TRUE(driver->connect(poe::deadline_in(generous)).ok());
    const auto connect_took = poe::Clock::now() - connect_start;
    EXPECT_EQ(driver->peer_identity(), "ssh-ed25519 " + sim->host_key_fingerprint());

    const auto read_start = poe::Clock::now();
    auto ports = driver->read_ports(poe::deadline_in(generous));
    const auto read_took = poe::Clock::now() - read_start;
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    EXPECT_EQ(ports->size(), 48u);
    ASSERT_NE(find(*ports, "Gi1/0/5"), nullptr);
    EXPECT_EQ(find(*ports, "Gi1/0/5")->admin, AdminMode::automatic);
    std::cout << "[ timing ] login " << std::chrono::duration<double, std::milli>(connect_took).count()
              << " ms, show power inline (48 ports) "
              << std::chrono::duration<double, std::milli>(read_took).count() << " ms\n";

    const std::vector<PortChange> off{{"Gi1/0/5", {AdminMode::never, std::nullopt}},
                                      {"Gi1/0/6", {AdminMode::static_power, 15400}}};
    ASSERT_TRUE(driver->set_admin(off, poe::deadline_in(generous)).ok());
    ports = driver->read_ports(poe::deadline_in(generous));
    ASSERT_TRUE(ports.ok());
    EXPECT_EQ(find(*ports, "Gi1/0/5")->admin, AdminMode::never);
    EXPECT_EQ(find(*ports, "Gi1/0/6")->admin, AdminMode::static_power);

    const std::vector<PortChange> on{{"Gi1/0/5", {AdminMode::automatic, std::nullopt}}};
    ASSERT_TRUE(driver->set_admin(on, poe::deadline_in(generous)).ok());
    ASSERT_TRUE(driver->ping(poe::deadline_in(generous)).ok());
    ASSERT_TRUE(driver->save_config(poe::deadline_in(generous)).ok());
    driver->disconnect();

    const auto stats = stats_when_idle(*sim);
    EXPECT_EQ(port_mode(stats, "Gi1/0/5"), "auto");
    EXPECT_EQ(port_mode(stats, "Gi1/0/6"), "static");
    EXPECT_EQ(counter(stats, "logins"), 1u);
    EXPECT_EQ(command_count(stats, "write memory"), 1u);
    EXPECT_EQ(counter(stats, "sessions_ended_in_config_mode"), 0u);
}

TEST(CiscoIosSim, ConcurrentStatusQueriesShareOneLoginAndOneRead) {
    auto sim = IosSimProcess::start();
    poe::ControllerOptions options;
    options.cache_ttl = 30s;
    auto controller = make_controller(*sim, options);
    ASSERT_TRUE(controller);

    constexpr int queries = 32;
    std::vector<std::future<poe::Result<poe::PortStatus>>> results;
    results.reserve(queries);
    for (int i = 0; i < queries; ++i) {
        results.push_back(std::async(std::launch::async, [&, i] {
            return controller->status("Gi1/0/" + std::to_string(1 + i % 48), poe::deadline_in(generous));
        }));
    }
    for (auto& result : results) {
        auto status = result.get();
        ASSERT_TRUE(status.ok()) << status.error().message;
        EXPECT_TRUE(status->admin_enabled());
    }
    const auto stats = sim->stats();
    EXPECT_EQ(counter(stats, "logins"), 1u);
    EXPECT_EQ(command_count(stats, "show power inline"), 1u);
    EXPECT_EQ(counter(stats, "concurrent_command_violations"), 0u);
}

TEST(CiscoIosSim, OnOffCycleRoundTripsReuseOneSession) {
    auto sim = IosSimProcess::start();
    poe::ControllerOptions options;
    options.cycle_dwell = 0ms;
    auto controller = make_controller(*sim, options);
    ASSERT_TRUE(controller);

    auto off = controller->power("gi1/0/7", PowerAction::off, poe::deadline_in(generous));
    ASSERT_TRUE(off.ok()) << off.error().message;
    EXPECT_TRUE(off->changed);
    EXPECT_EQ(off->after.admin, AdminMode::never);
    EXPECT_EQ(port_mode(sim->stats(), "Gi1/0/7"), "never");

    auto again = controller->power("Gi1/0/7", PowerAction::off, poe::deadline_in(generous));
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->changed);

    auto on = controller->power("Gi1/0/7", PowerAction::on, poe::deadline_in(generous));
    ASSERT_TRUE(on.ok()) << on.error().message;
    EXPECT_TRUE(on->changed);
    EXPECT_EQ(on->after.admin, AdminMode::automatic);

    auto cycle = controller->power("Gi1/0/7", PowerAction::cycle, poe::deadline_in(generous));
    ASSERT_TRUE(cycle.ok()) << cycle.error().message;
    EXPECT_TRUE(cycle->cycled);
    EXPECT_EQ(cycle->after.admin, AdminMode::automatic);

    for (int i = 0; i < 10; ++i) {
        const auto action = i % 2 == 0 ? PowerAction::off : PowerAction::on;
        auto result = controller->power("Gi1/0/8", action, poe::deadline_in(generous));
        ASSERT_TRUE(result.ok()) << result.error().message;
    }
    EXPECT_EQ(port_mode(sim->stats(), "Gi1/0/8"), "auto");
    EXPECT_EQ(controller->stats().logins, 1u);
    EXPECT_EQ(counter(sim->stats(), "logins"), 1u);
    controller.reset();
    EXPECT_EQ(counter(stats_when_idle(*sim), "sessions_ended_in_config_mode"), 0u);
}

TEST(CiscoIosSim, LegacyOnlySwitchNeedsLegacyAlgorithms) {
    IosSimOptions sim_options;
    sim_options.legacy_only = true;
    auto sim = IosSimProcess::start(sim_options);

    auto modern = make_driver(options_for(*sim));
    ASSERT_TRUE(modern);
    auto refused = modern->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::connect_failed);
    EXPECT_THAT(refused.error().message, HasSubstr("legacy_algorithms: true"));

    auto legacy_options = options_for(*sim);
    legacy_options["legacy_algorithms"] = "true";
    auto legacy = make_driver(legacy_options);
    ASSERT_TRUE(legacy);
    ASSERT_TRUE(legacy->connect(poe::deadline_in(generous)).ok());
    EXPECT_EQ(legacy->peer_identity(), "ssh-rsa " + sim->rsa_host_key_fingerprint());
    auto ports = legacy->read_ports(poe::deadline_in(generous));
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    EXPECT_EQ(ports->size(), 48u);
}

TEST(CiscoIosSim, StrictKnownHostsAcceptsTheKeyAndRefusesAChangedOne) {
    auto sim = IosSimProcess::start();
    const auto known_hosts = sim->work_dir() / "client_known_hosts";
    std::ofstream(known_hosts) << "# trusted switches\n"
                               << known_hosts_line(*sim, sim->ed25519_host_key_path());

    auto options = options_for(*sim);
    options.erase("host_key_fingerprint");
    options["known_hosts"] = known_hosts.string();
    auto driver = make_driver(options);
    ASSERT_TRUE(driver);
    ASSERT_TRUE(driver->connect(poe::deadline_in(generous)).ok());
    driver->disconnect();

    const auto new_key = sim->generate_key("ed25519", "rotated");
    sim->control_ok("set host-key " + new_key.string());
    auto refused = driver->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(refused.error().message, HasSubstr(known_hosts.string() + ":2"));
    EXPECT_THAT(refused.error().message, HasSubstr("SHA256:"));
    EXPECT_THAT(refused.error().message, testing::Not(HasSubstr(sim->ed25519_host_key_fingerprint())));
    // No credentials were offered to the impostor.
    EXPECT_EQ(counter(sim->stats(), "login_failures"), 0u);
    EXPECT_EQ(counter(sim->stats(), "logins"), 1u);
}

TEST(CiscoIosSim, AcceptNewRecordsThenTrustsThenRefusesAChange) {
    auto sim = IosSimProcess::start();
    const auto known_hosts = sim->work_dir() / "accept_new_known_hosts";
    auto options = options_for(*sim);
    options.erase("host_key_fingerprint");
    options["host_key_policy"] = "accept-new";
    options["known_hosts"] = known_hosts.string();
    auto driver = make_driver(options);
    ASSERT_TRUE(driver);

    ASSERT_TRUE(driver->connect(poe::deadline_in(generous)).ok());
    EXPECT_EQ(read_text(known_hosts), known_hosts_line(*sim, sim->ed25519_host_key_path()));
    driver->disconnect();
    ASSERT_TRUE(driver->connect(poe::deadline_in(generous)).ok());
    driver->disconnect();

    const auto new_key = sim->generate_key("ed25519", "rotated");
    sim->control_ok("set host-key " + new_key.string());
    auto refused = driver->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(refused.error().message, HasSubstr(known_hosts.string() + ":1"));
    EXPECT_EQ(read_text(known_hosts), known_hosts_line(*sim, sim->ed25519_host_key_path()));
}

TEST(CiscoIosSim, PinnedFingerprintMismatchIsRefused) {
    auto sim = IosSimProcess::start();
    auto options = options_for(*sim);
    options["host_key_fingerprint"] = "SHA256:tiMhMnRPrlvkQ5cs0JKKkfs5jVh0z0YO308IwZMTntU";
    auto driver = make_driver(options);
    ASSERT_TRUE(driver);
    auto refused = driver->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(refused.error().message, HasSubstr(sim->host_key_fingerprint()));
}

TEST(CiscoIosSim, WrongPasswordAndWrongEnableSecretAreAuthFailed) {
    auto sim = IosSimProcess::start();
    auto bad_password = options_for(*sim);
    bad_password["password"] = "not-the-password";
    auto driver = make_driver(bad_password);
    ASSERT_TRUE(driver);
    auto refused = driver->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::auth_failed);
    EXPECT_THAT(refused.error().message, testing::Not(HasSubstr("not-the-password")));

    auto bad_secret = options_for(*sim);
    bad_secret["enable_secret"] = "not-the-secret";
    driver = make_driver(bad_secret);
    ASSERT_TRUE(driver);
    refused = driver->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::auth_failed);
    EXPECT_THAT(refused.error().message, testing::Not(HasSubstr("not-the-secret")));
    EXPECT_THAT(refused.error().device_text, testing::Not(HasSubstr("not-the-secret")));
}

TEST(CiscoIosSim, PublicKeyLogin) {
    auto sim = IosSimProcess::start();
    auto options = options_for(*sim);
    options.erase("password");
    options["private_key_file"] = sim->user_key_path().string();
    auto driver = make_driver(options);
    ASSERT_TRUE(driver);
    ASSERT_TRUE(driver->connect(poe::deadline_in(generous)).ok());
    EXPECT_TRUE(driver->read_ports(poe::deadline_in(generous)).ok());
}

TEST(CiscoIosSim, HangCostsOneDeadlineThenTheNextRequestWorks) {
    auto sim = IosSimProcess::start();
    auto controller = make_controller(*sim);
    ASSERT_TRUE(controller);
    ASSERT_TRUE(controller->status("Gi1/0/1", poe::deadline_in(generous)).ok());
    sim->control_ok("fault hang 'show power inline' 1");

    const auto budget = 800ms;
    const auto start = poe::Clock::now();
    // Cached reads would not reach the device; a power change reads first.
    auto hung = controller->power("Gi1/0/2", PowerAction::off, start + budget);
    const auto took = poe::Clock::now() - start;
    ASSERT_FALSE(hung.ok());
    EXPECT_EQ(hung.error().code, ErrorCode::timeout);
    EXPECT_GE(took, budget - 50ms);
    EXPECT_LT(took, budget + 400ms);

    auto next = controller->power("Gi1/0/2", PowerAction::off, poe::deadline_in(generous));
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->after.admin, AdminMode::never);
    EXPECT_EQ(counter(sim->stats(), "logins"), 2u);
}

TEST(CiscoIosSim, DroppedConnectionMidCommandIsRetriedOnAFreshSession) {
    auto sim = IosSimProcess::start();
    poe::ControllerOptions options;
    options.cache_ttl = 0ms;
    auto controller = make_controller(*sim, options);
    ASSERT_TRUE(controller);
    ASSERT_TRUE(controller->status("Gi1/0/1", poe::deadline_in(generous)).ok());
    sim->control_ok("fault drop 'show power inline' 1");
    auto status = controller->status("Gi1/0/3", poe::deadline_in(generous));
    ASSERT_TRUE(status.ok()) << status.error().message;
    EXPECT_EQ(counter(sim->stats(), "logins"), 2u);
    EXPECT_EQ(controller->stats().errors[ErrorCode::connection_lost], 1u);
}

TEST(CiscoIosSim, InvalidInputOnPowerInlineIsRejectedAndLeavesConfigMode) {
    auto sim = IosSimProcess::start();
    auto controller = make_controller(*sim);
    ASSERT_TRUE(controller);
    sim->control_ok("fault invalid 'power inline' 1");
    auto rejected = controller->power("Gi1/0/9", PowerAction::off, poe::deadline_in(generous));
    ASSERT_FALSE(rejected.ok());
    EXPECT_EQ(rejected.error().code, ErrorCode::device_rejected);
    EXPECT_THAT(rejected.error().device_text, HasSubstr("% Invalid input detected at '^' marker."));

    auto next = controller->power("Gi1/0/9", PowerAction::off, poe::deadline_in(generous));
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->after.admin, AdminMode::never);
    EXPECT_EQ(counter(sim->stats(), "logins"), 1u);
    controller.reset();
    EXPECT_EQ(counter(stats_when_idle(*sim), "sessions_ended_in_config_mode"), 0u);
}

TEST(CiscoIosSim, ConnectionRefusedIsConnectFailed) {
    std::uint16_t port = 0;
    {
        auto sim = IosSimProcess::start();
        port = sim->port();
    }  // stopped: nothing listens on the port any more
    poe::DriverOptions options{{"host", "127.0.0.1"},
                               {"port", std::to_string(port)},
                               {"username", "admin"},
                               {"password", "secret"},
                               {"host_key_policy", "off"}};
    auto driver = make_driver(options);
    ASSERT_TRUE(driver);
    auto refused = driver->connect(poe::deadline_in(generous));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::connect_failed);
    EXPECT_THAT(refused.error().message, HasSubstr("127.0.0.1:" + std::to_string(port)));
}

TEST(CiscoIosSim, UncachedStatusRoundTripsReuseTheSession) {
    auto sim = IosSimProcess::start();
    poe::ControllerOptions options;
    options.cache_ttl = 0ms;
    auto controller = make_controller(*sim, options);
    ASSERT_TRUE(controller);
    ASSERT_TRUE(controller->status("Gi1/0/1", poe::deadline_in(generous)).ok());  // login
    constexpr int rounds = 50;
    std::vector<double> millis;
    millis.reserve(rounds);
    for (int i = 0; i < rounds; ++i) {
        const auto start = poe::Clock::now();
        auto status = controller->status("Gi1/0/1", poe::deadline_in(generous));
        millis.push_back(std::chrono::duration<double, std::milli>(poe::Clock::now() - start).count());
        ASSERT_TRUE(status.ok()) << status.error().message;
    }
    std::sort(millis.begin(), millis.end());
    std::cout << "[ timing ] uncached status over SSH (show power inline, 48 ports): median "
              << millis[rounds / 2] << " ms, max " << millis.back() << " ms\n";
    const auto stats = sim->stats();
    EXPECT_EQ(counter(stats, "logins"), 1u);
    EXPECT_EQ(command_count(stats, "show power inline"), rounds + 1u);
}

// A TCP listener that never answers: the kernel completes the handshake,
// nobody ever sends an SSH banner (a hung switch at login).
class SilentListener {
public:
    SilentListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
        EXPECT_EQ(::listen(fd_, 4), 0);
        EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
        port_ = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(fd_); }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;
    [[nodiscard]] std::uint16_t port() const { return port_; }

private:
    int fd_{-1};
    std::uint16_t port_{0};
};

TEST(CiscoIosSim, SilentSwitchAtLoginCostsConnectTimeoutOrDeadline) {
    SilentListener silent;
    poe::DriverOptions options{{"host", "127.0.0.1"},      {"port", std::to_string(silent.port())},
                               {"username", "admin"},      {"password", "secret"},
                               {"host_key_policy", "off"}, {"connect_timeout_ms", "300"}};
    auto driver = make_driver(options);
    ASSERT_TRUE(driver);
    auto start = poe::Clock::now();
    auto failed = driver->connect(poe::deadline_in(generous));
    auto took = poe::Clock::now() - start;
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, ErrorCode::connect_failed);  // our own bound, not the caller's deadline
    EXPECT_THAT(failed.error().message, HasSubstr("connect_timeout_ms"));
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 700ms);

    options["connect_timeout_ms"] = "10000";
    driver = make_driver(options);
    ASSERT_TRUE(driver);
    start = poe::Clock::now();
    auto timed_out = driver->connect(start + 300ms);
    took = poe::Clock::now() - start;
    ASSERT_FALSE(timed_out.ok());
    EXPECT_EQ(timed_out.error().code, ErrorCode::timeout);
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 700ms);
}

TEST(CiscoIosSim, GarbageOutputIsAnErrorAndTheNextReadWorks) {
    auto sim = IosSimProcess::start();
    auto driver = make_driver(options_for(*sim));
    ASSERT_TRUE(driver);
    ASSERT_TRUE(driver->connect(poe::deadline_in(generous)).ok());
    sim->control_ok("fault garbage 'show power inline' 1");
    auto garbage = driver->read_ports(poe::deadline_in(generous));
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().code, ErrorCode::parse_error) << garbage.error().message;
    auto next = driver->read_ports(poe::deadline_in(generous));
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->size(), 48u);
}

}  // namespace

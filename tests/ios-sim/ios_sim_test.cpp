// ios-sim end to end: the real binary, real SSH (OpenSSH's ssh and libssh's
// client), through the poe_test::IosSimProcess harness.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <thread>

#include <boost/json/parse.hpp>

#include "ios_sim_process.hpp"
#include "test_ssh_client.hpp"

namespace {

using namespace std::chrono_literals;
using ios_sim_test::ClientOptions;
using ios_sim_test::TestSshClient;
using poe_test::IosSimOptions;
using poe_test::IosSimProcess;
using poe_test::run_command;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using Clock = std::chrono::steady_clock;

std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(IOS_SIM_FIXTURES_DIR) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint64_t counter(const boost::json::object& stats, const char* name) {
    return stats.at(name).to_number<std::uint64_t>();
}

std::uint64_t command_count(const boost::json::object& stats, const char* name) {
    const auto& by_name = stats.at("commands_by_name").as_object();
    const auto it = by_name.find(name);
    return it == by_name.end() ? 0 : it->value().to_number<std::uint64_t>();
}

// ssh keeps the first value given for an option, so overrides go right
// after argv[0], ahead of the harness's defaults.
std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> extra) {
    args.insert(args.begin() + 1, extra.begin(), extra.end());
    return args;
}

std::vector<std::string> exec_args(const IosSimProcess& sim, const std::string& command) {
    auto args = sim.openssh_args();
    args.push_back(command);
    return args;
}

std::unique_ptr<TestSshClient> connect_shell(const IosSimProcess& sim, ClientOptions options = {}) {
    std::string error;
    auto client = TestSshClient::connect(sim.port(), options, &error);
    if (!client) {
        ADD_FAILURE() << "connect failed: " << error;
        return nullptr;
    }
    if (!client->open_shell()) {
        ADD_FAILURE() << "no shell";
        return nullptr;
    }
    return client;
}

ClientOptions legacy_client() {
    ClientOptions options;
    options.kex = "diffie-hellman-group14-sha1";
    options.host_keys = "ssh-rsa";
    options.macs = "hmac-sha1";
    options.pubkey_types = "ssh-rsa";
    return options;
}

TEST(IosSimTest, OpenSshExecAnswersOneCommandAndExitsZero) {
    auto sim = IosSimProcess::start();
    const auto result = run_command(exec_args(*sim, "show power inline"), "", 10s);
    ASSERT_EQ(result.exit_code, 0) << result.err << sim->log();
    EXPECT_THAT(result.out, StartsWith("Module   Available     Used     Remaining\r\n"));
    EXPECT_THAT(result.out, HasSubstr("\r\nGi1/0/48  auto   on "));
    EXPECT_THAT(result.out, EndsWith("\r\n"));
    EXPECT_THAT(result.out, Not(HasSubstr("--More--")));  // exec output is never paged
    const auto stats = sim->wait_for_stats([](const auto& s) { return counter(s, "sessions_active") == 0; });
    EXPECT_EQ(counter(stats, "logins"), 1u);
    EXPECT_EQ(command_count(stats, "show power inline"), 1u);
}

TEST(IosSimTest, OpenSshInteractiveSessionChangesPower) {
    auto sim = IosSimProcess::start();
    const std::string script =
        "terminal length 0\nterminal width 511\nenable\nenablepw\nconfigure terminal\ninterface Gi1/0/7\n"
        "power inline never\nend\nshow power inline Gi1/0/7\nexit\n";
    auto args = sim->openssh_args();
    args.insert(args.begin() + 1, "-tt");
    const auto result = run_command(args, script, 10s);
    ASSERT_FALSE(result.timed_out) << result.out << sim->log();
    EXPECT_THAT(result.out, HasSubstr("Switch>terminal length 0\r\n"));
    EXPECT_THAT(result.out, HasSubstr("Switch>enable\r\nPassword: \r\nSwitch#"));
    EXPECT_THAT(result.out, Not(HasSubstr("enablepw")));
    EXPECT_THAT(result.out, HasSubstr("Switch(config-if)#power inline never\r\nSwitch(config-if)#end\r\n"));
    EXPECT_THAT(result.out, HasSubstr("\r\nGi1/0/7   off    off        0.0     n/a "));
    const auto stats = sim->wait_for_stats([](const auto& s) { return counter(s, "sessions_active") == 0; });
    EXPECT_EQ(counter(stats, "config_changes"), 1u);
    EXPECT_EQ(stats.at("ports").at("Gi1/0/7").at("admin").as_string(), "off");
    EXPECT_EQ(stats.at("ports").at("Gi1/0/7").at("mode").as_string(), "never");
    EXPECT_EQ(counter(stats, "sessions_ended_in_config_mode"), 0u);
}

TEST(IosSimTest, PasswordKeyboardInteractiveAndPublicKeyLogins) {
    auto sim = IosSimProcess::start();
    std::string error;
    EXPECT_NE(TestSshClient::connect(sim->port(), {}, &error), nullptr) << error;
    ClientOptions kbdint;
    kbdint.keyboard_interactive = true;
    EXPECT_NE(TestSshClient::connect(sim->port(), kbdint, &error), nullptr) << error;
    ClientOptions key;
    key.key_file = sim->user_key_path().string();
    EXPECT_NE(TestSshClient::connect(sim->port(), key, &error), nullptr) << error;
    ClientOptions wrong;
    wrong.password = "wrong";
    EXPECT_EQ(TestSshClient::connect(sim->port(), wrong, &error), nullptr);
    const auto stats = sim->wait_for_stats([](const auto& s) { return counter(s, "login_failures") == 1; });
    EXPECT_EQ(counter(stats, "logins"), 3u);
}

TEST(IosSimTest, LibsshShellDialogue) {
    IosSimOptions options;
    options.banner = "Lab switch # authorised > users only";
    auto sim = IosSimProcess::start(options);
    auto client = connect_shell(*sim);
    ASSERT_TRUE(client);
    const auto greeting = client->read_until("Switch>");
    ASSERT_TRUE(greeting) << client->pending();
    EXPECT_EQ(*greeting, "\r\nLab switch # authorised > users only\r\n\r\nSwitch>");
    client->send("terminal length 0\rsh pow inl gi1/0/3 detail\r\n");
    ASSERT_TRUE(client->read_until("Switch>"));
    const auto detail = client->read_until("Switch>");
    ASSERT_TRUE(detail);
    EXPECT_THAT(*detail,
                HasSubstr("\r\nInterface: Gi1/0/3\r\nInline Power Mode: auto\r\nOperational status: on\r\n"));
    client->send("show foooooooo\r");
    const auto invalid = client->read_until("Switch>");
    ASSERT_TRUE(invalid);
    EXPECT_EQ(*invalid,
              "show foooooooo\r\n            ^\r\n% Invalid input detected at '^' marker.\r\n\r\nSwitch>");
}

TEST(IosSimTest, PrivilegedUserStartsAtEnablePrompt) {
    IosSimOptions options;
    options.users.push_back({"operator", "op"});
    options.privileged_users = {"admin"};
    auto sim = IosSimProcess::start(options);
    auto admin = connect_shell(*sim);
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->read_until("#").value_or(""), "\r\nSwitch#");
    ClientOptions op;
    op.user = "operator";
    op.password = "op";
    auto other = connect_shell(*sim, op);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->read_until(">").value_or(""), "\r\nSwitch>");
}

TEST(IosSimTest, MorePagingOverSsh) {
    auto sim = IosSimProcess::start();
    auto client = connect_shell(*sim);
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->read_until("Switch>"));
    client->send("show power inline\n");
    ASSERT_TRUE(client->read_until(" --More-- "));
    client->send(" ");
    ASSERT_TRUE(client->read_until(" --More-- "));
    client->send(" ");
    const auto rest = client->read_until("Switch>");
    ASSERT_TRUE(rest) << client->pending();
    EXPECT_THAT(*rest, HasSubstr("Totals:          48   on    "));
}

TEST(IosSimTest, HostKeyFingerprintAndRotation) {
    auto sim = IosSimProcess::start();
    std::string error;
    auto before = TestSshClient::connect(sim->port(), {}, &error);
    ASSERT_TRUE(before) << error;
    EXPECT_EQ(before->server_fingerprint(), sim->host_key_fingerprint());
    EXPECT_EQ(sim->host_key_fingerprint(), sim->ed25519_host_key_fingerprint());

    const auto new_key = sim->generate_key("ed25519", "rotated");
    sim->control_ok("set host-key " + new_key.string());
    auto after = TestSshClient::connect(sim->port(), {}, &error);
    ASSERT_TRUE(after) << error;
    EXPECT_NE(after->server_fingerprint(), sim->host_key_fingerprint());
    EXPECT_EQ(sim->control("host-keys"), "ssh-ed25519 " + after->server_fingerprint());
    // The session opened before the change keeps working.
    EXPECT_EQ(before->exec("show clock").value_or("").substr(0, 1), "*");
}

TEST(IosSimTest, LegacyOnlyRefusesModernClientsAndAcceptsLegacyOnes) {
    IosSimOptions options;
    options.legacy_only = true;
    auto sim = IosSimProcess::start(options);

    const auto modern = run_command(with(exec_args(*sim, "show clock"), {"-o", "LogLevel=INFO"}), "", 10s);
    EXPECT_EQ(modern.exit_code, 255);
    EXPECT_THAT(modern.err, HasSubstr("no matching key exchange method"));
    const auto curve =
        run_command(with(sim->openssh_args(), {"-o", "KexAlgorithms=curve25519-sha256"}), "", 10s);
    EXPECT_EQ(curve.exit_code, 255);

    const std::initializer_list<std::string> legacy = {"-o", "KexAlgorithms=+diffie-hellman-group14-sha1",
                                                       "-o", "HostKeyAlgorithms=+ssh-rsa",
                                                       "-o", "PubkeyAcceptedAlgorithms=+ssh-rsa"};
    auto ok = run_command(with(exec_args(*sim, "show clock"), legacy), "", 10s);
    ASSERT_EQ(ok.exit_code, 0) << ok.err << sim->log();
    EXPECT_THAT(ok.out, StartsWith("*"));
    const auto cbc = run_command(
        with(exec_args(*sim, "show clock"),
             {"-o", "KexAlgorithms=diffie-hellman-group1-sha1", "-o", "HostKeyAlgorithms=+ssh-rsa", "-o",
              "PubkeyAcceptedAlgorithms=+ssh-rsa", "-o", "Ciphers=aes256-cbc", "-o", "MACs=hmac-sha1"}),
        "", 10s);
    EXPECT_EQ(cbc.exit_code, 0) << cbc.err;

    std::string error;
    EXPECT_EQ(TestSshClient::connect(sim->port(), {}, &error), nullptr);
    auto client = TestSshClient::connect(sim->port(), legacy_client(), &error);
    ASSERT_TRUE(client) << error;
    EXPECT_EQ(client->server_fingerprint(), sim->rsa_host_key_fingerprint());
    EXPECT_EQ(sim->host_key_fingerprint(), sim->rsa_host_key_fingerprint());
    ClientOptions rsa_key = legacy_client();
    rsa_key.key_file = sim->user_rsa_key_path().string();
    EXPECT_NE(TestSshClient::connect(sim->port(), rsa_key, &error), nullptr) << error;
}

TEST(IosSimTest, HangFaultMakesTheClientTimeOut) {
    IosSimOptions options;
    options.faults = {"hang 'show power inline' 1"};
    auto sim = IosSimProcess::start(options);
    const auto start = Clock::now();
    const auto hung = run_command(exec_args(*sim, "show power inline"), "", 1500ms);
    EXPECT_TRUE(hung.timed_out);
    EXPECT_EQ(hung.out, "");
    EXPECT_GE(Clock::now() - start, 1500ms);
    // Used up: the next command is answered.
    const auto next = run_command(exec_args(*sim, "show power inline gi1/0/1"), "", 10s);
    EXPECT_EQ(next.exit_code, 0) << next.err;
    EXPECT_THAT(next.out, HasSubstr("Gi1/0/1 "));
}

TEST(IosSimTest, DropFaultCutsTheConnectionMidOutput) {
    auto sim = IosSimProcess::start();
    sim->control_ok("fault drop \"show power inline\" 1");
    const auto dropped = run_command(exec_args(*sim, "show power inline"), "", 10s);
    EXPECT_EQ(dropped.exit_code, 255);
    EXPECT_THAT(dropped.out, StartsWith("Module"));
    EXPECT_THAT(dropped.out, Not(HasSubstr("Totals")));
}

TEST(IosSimTest, GarbageAndInvalidFaults) {
    auto sim = IosSimProcess::start();
    sim->control_ok("fault garbage 'show power inline' 1");
    const auto garbage = run_command(exec_args(*sim, "show power inline"), "", 10s);
    EXPECT_EQ(garbage.exit_code, 0);
    EXPECT_FALSE(garbage.out.empty());
    EXPECT_THAT(garbage.out, Not(HasSubstr("Interface")));

    sim->control_ok("fault invalid 'show power inline' 1");
    const auto invalid = run_command(exec_args(*sim, "show power inline"), "", 10s);
    EXPECT_THAT(invalid.out, HasSubstr("% Invalid input detected at '^' marker."));
    EXPECT_EQ(sim->control("faults"), "none");
    EXPECT_THAT(sim->control("fault bogus x"), StartsWith("error: "));
}

TEST(IosSimTest, DropAfterCommandsDisconnectsTheSession) {
    auto sim = IosSimProcess::start();
    auto client = connect_shell(*sim);
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->read_until("Switch>"));
    sim->control_ok("fault drop-after 2");
    client->send("show clock\n");
    ASSERT_TRUE(client->read_until("Switch>"));
    client->send("show clock\n");
    EXPECT_FALSE(client->read_until("Switch>"));
    EXPECT_TRUE(client->wait_closed());
}

TEST(IosSimTest, VtyLimitRefusesExtraSessions) {
    IosSimOptions options;
    options.max_sessions = 2;
    auto sim = IosSimProcess::start(options);
    auto first = connect_shell(*sim);
    auto second = connect_shell(*sim);
    ASSERT_TRUE(first && second);
    std::string error;
    EXPECT_EQ(TestSshClient::connect(sim->port(), {}, &error), nullptr);
    const auto refused = run_command(exec_args(*sim, "show clock"), "", 10s);
    EXPECT_EQ(refused.exit_code, 255);
    auto stats = sim->stats();
    EXPECT_EQ(counter(stats, "sessions_refused"), 2u);
    EXPECT_EQ(counter(stats, "sessions_max_seen"), 2u);

    first.reset();
    sim->wait_for_stats([](const auto& s) { return counter(s, "sessions_active") == 1; });
    EXPECT_NE(TestSshClient::connect(sim->port(), {}, &error), nullptr) << error;
}

TEST(IosSimTest, LoginRateLimit) {
    IosSimOptions options;
    options.login_rate = 2;
    auto sim = IosSimProcess::start(options);
    std::string error;
    EXPECT_NE(TestSshClient::connect(sim->port(), {}, &error), nullptr) << error;
    EXPECT_NE(TestSshClient::connect(sim->port(), {}, &error), nullptr) << error;
    EXPECT_EQ(TestSshClient::connect(sim->port(), {}, &error), nullptr);
    const auto stats = sim->stats();
    EXPECT_EQ(counter(stats, "logins"), 2u);
    EXPECT_EQ(counter(stats, "logins_rate_limited"), 1u);
    sim->control_ok("set login-rate 0");
    EXPECT_NE(TestSshClient::connect(sim->port(), {}, &error), nullptr) << error;
}

TEST(IosSimTest, RefuseLoginAndRefuseEnableFaults) {
    auto sim = IosSimProcess::start();
    sim->control_ok("fault refuse-login 1");
    std::string error;
    EXPECT_EQ(TestSshClient::connect(sim->port(), {}, &error), nullptr);
    auto client = connect_shell(*sim);
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->read_until("Switch>"));
    sim->control_ok("fault refuse-enable");
    client->send("enable\nenablepw\nenablepw\nenablepw\n");
    const auto out = client->read_until("Switch>");
    ASSERT_TRUE(out);
    EXPECT_THAT(*out, HasSubstr("% Bad secrets"));
}

TEST(IosSimTest, DisconnectInConfigModeIsCounted) {
    auto sim = IosSimProcess::start();
    {
        auto client = connect_shell(*sim);
        ASSERT_TRUE(client);
        client->send("enable\nenablepw\nconfigure terminal\ninterface gi1/0/2\n");
        ASSERT_TRUE(client->read_until("Switch(config-if)#"));
    }  // gone without `end`
    sim->wait_for_stats([](const auto& s) { return counter(s, "sessions_ended_in_config_mode") == 1; });
    {
        auto client = connect_shell(*sim);
        ASSERT_TRUE(client);
        client->send("enable\nenablepw\nconfigure terminal\nend\nexit\n");
        EXPECT_TRUE(client->wait_closed());
    }
    const auto stats = sim->wait_for_stats([](const auto& s) { return counter(s, "sessions_active") == 0; });
    EXPECT_EQ(counter(stats, "sessions_ended_in_config_mode"), 1u);
}

TEST(IosSimTest, ConcurrentCommandsFromTwoSessionsAreDetected) {
    IosSimOptions options;
    options.command_delay_ms = 300;
    auto sim = IosSimProcess::start(options);
    auto a = connect_shell(*sim);
    auto b = connect_shell(*sim);
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(a->read_until("Switch>") && b->read_until("Switch>"));

    // One after the other: no violation.
    a->send("show power inline gi1/0/1\n");
    ASSERT_TRUE(a->read_until("Switch>"));
    b->send("show power inline gi1/0/1\n");
    ASSERT_TRUE(b->read_until("Switch>"));
    EXPECT_EQ(counter(sim->stats(), "concurrent_command_violations"), 0u);

    // Overlapping: a violation.
    a->send("show power inline gi1/0/1\n");
    b->send("show power inline gi1/0/1\n");
    ASSERT_TRUE(a->read_until("Switch>"));
    ASSERT_TRUE(b->read_until("Switch>"));
    EXPECT_EQ(counter(sim->stats(), "concurrent_command_violations"), 1u);
}

TEST(IosSimTest, ExecTimeoutClosesIdleSessions) {
    IosSimOptions options;
    options.exec_timeout_ms = 300;
    auto sim = IosSimProcess::start(options);
    auto client = connect_shell(*sim);
    ASSERT_TRUE(client);
    EXPECT_TRUE(client->wait_closed(3s));
    const auto stats = sim->wait_for_stats([](const auto& s) { return counter(s, "sessions_active") == 0; });
    EXPECT_EQ(counter(stats, "sessions_timed_out"), 1u);
}

TEST(IosSimTest, StylesOverSsh) {
    IosSimOptions ios15;
    ios15.style = "ios15";
    ios15.ports = "Fa0/1-24";
    auto classic = IosSimProcess::start(ios15);
    const auto out = run_command(exec_args(*classic, "show power inline"), "", 10s);
    EXPECT_THAT(out.out, StartsWith("Available:370.0(w)  Used:"));
    EXPECT_THAT(out.out, HasSubstr("\r\nFa0/24    auto   on "));
    EXPECT_THAT(out.out, HasSubstr(" 15.4\r\n"));

    IosSimOptions cat4500;
    cat4500.style = "cat4500";
    cat4500.ports = "Gi1/1-48";
    auto chassis = IosSimProcess::start(cat4500);
    const auto out4500 = run_command(exec_args(*chassis, "show power inline"), "", 10s);
    EXPECT_THAT(out4500.out,
                HasSubstr("Interface Admin  Oper            Power(Watts)     Device              Class\r\n"));
    EXPECT_THAT(out4500.out, HasSubstr("\r\nTotals:          48   on    "));
}

TEST(IosSimTest, ReplayServesACaptureVerbatim) {
    IosSimOptions options;
    options.replay = std::string(IOS_SIM_FIXTURES_DIR) + "/ntc_iosxe17_12_2stack_tw_te.txt";
    auto sim = IosSimProcess::start(options);
    const auto out = run_command(exec_args(*sim, "show power inline"), "", 10s);
    EXPECT_EQ(out.out, read_fixture("ntc_iosxe17_12_2stack_tw_te.txt") + "\r\n");
}

TEST(IosSimTest, StatsFileIsKeptUpToDate) {
    auto sim = IosSimProcess::start();
    ASSERT_EQ(run_command(exec_args(*sim, "show version"), "", 10s).exit_code, 0);
    const auto deadline = Clock::now() + 5s;
    std::uint64_t commands = 0;
    while (commands == 0 && Clock::now() < deadline) {
        std::ifstream in(sim->stats_file());
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (!text.empty()) {
            commands = counter(boost::json::parse(text).as_object(), "commands");
        }
        if (commands == 0) {
            std::this_thread::sleep_for(10ms);
        }
    }
    EXPECT_EQ(commands, 1u);
}

TEST(IosSimTest, ControlChannelPortOverrides) {
    auto sim = IosSimProcess::start();
    sim->control_ok("port Gi1/0/4 oper faulty");
    sim->control_ok("port Gi1/0/5 device 'AIR-AP2802I-B-K9 extra long name' 4 22.5");
    const auto out = run_command(exec_args(*sim, "show power inline"), "", 10s);
    EXPECT_THAT(out.out,
                HasSubstr("\r\nGi1/0/4   auto   faulty     0.0     n/a                 n/a   30.0 \r\n"));
    EXPECT_THAT(out.out,
                HasSubstr("\r\nGi1/0/5   auto   on         22.5    AIR-AP2802I-B-K9 ex 4     30.0 \r\n"));
    EXPECT_THAT(sim->control("port Gi9/0/1 oper on"), StartsWith("error: "));
}

}  // namespace

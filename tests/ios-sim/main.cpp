// ios-sim: a simulated Cisco IOS / IOS-XE switch over real SSH, for tests.
// Usage and the control-channel syntax: README.md next to this file.

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include <libssh/libssh.h>
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include "control_channel.hpp"
#include "port_spec.hpp"
#include "sim_context.hpp"
#include "ssh_keys.hpp"
#include "ssh_server.hpp"

namespace {

using namespace ios_sim;

struct Options {
    std::string listen = "127.0.0.1:0";
    std::string port_file;
    std::string hostname = "Switch";
    std::string ports = "Gi1/0/1-48";
    std::vector<std::string> users;
    std::vector<std::string> authorized_keys;
    std::vector<std::string> privileged_users;
    std::optional<std::string> enable_secret;
    std::vector<std::string> host_keys;
    std::string style = "iosxe";
    bool legacy_only = false;
    std::string replay;
    long long detect_delay_ms = 0;
    long long command_delay_ms = 0;
    long long write_delay_ms = 500;
    long long exec_timeout_ms = 10LL * 60 * 1000;
    std::string banner;
    int max_sessions = 16;
    int login_rate = 0;
    std::string stats_file;
    bool control_stdin = false;
    std::vector<std::string> faults;
    bool verbose = false;
};

// The signal handler may only touch these.
SshServer* signal_target = nullptr;

extern "C" void on_signal(int) {
    if (signal_target != nullptr) {
        signal_target->stop();
    }
}

std::pair<std::string, std::string> split_pair(const std::string& text, const char* option) {
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
        throw std::runtime_error(std::string(option) + " needs NAME:VALUE, got \"" + text + "\"");
    }
    return {text.substr(0, colon), text.substr(colon + 1)};
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `--banner 'line1\nline2'` is easier to pass than a real newline.
std::string unescape_newlines(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
            out += '\n';
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

void write_stats_until_stopped(SimContext& context, const std::string& path) {
    while (!context.stopping) {
        const auto seen = context.stats.generation();
        const auto now = Clock::now();
        write_file_atomically(path, boost::json::serialize(context.stats.to_json(context.state, now)) + "\n");
        // Also wake when a port finishes detection, since Oper changes then.
        auto deadline = now + std::chrono::seconds(1);
        if (const auto next = context.state.next_oper_change(now); next && *next < deadline) {
            deadline = *next + std::chrono::milliseconds(1);
        }
        context.stats.wait_for_change(seen, deadline);
    }
    write_file_atomically(path,
                          boost::json::serialize(context.stats.to_json(context.state, Clock::now())) + "\n");
}

int run(const Options& options) {
    const auto style = parse_output_style(options.style);
    if (!style) {
        throw std::runtime_error("unknown --style " + options.style);
    }
    SettingsValues values;
    values.style = *style;
    values.detect_delay = std::chrono::milliseconds(options.detect_delay_ms);
    values.command_delay = std::chrono::milliseconds(options.command_delay_ms);
    values.write_delay = std::chrono::milliseconds(options.write_delay_ms);
    values.exec_timeout = std::chrono::milliseconds(options.exec_timeout_ms);
    values.max_sessions = options.max_sessions;
    values.login_rate = options.login_rate;
    values.banner = unescape_newlines(options.banner);
    values.enable_secret = options.enable_secret;
    if (!options.replay.empty()) {
        values.replay = read_file(options.replay);
    }

    SimContext context(options.hostname, parse_port_spec(options.ports), values);
    context.verbose = options.verbose;
    context.legacy_only = options.legacy_only;
    for (const auto& entry : options.users) {
        auto [name, password] = split_pair(entry, "--user");
        context.users.passwords[name] = password;
    }
    for (const auto& entry : options.authorized_keys) {
        auto [name, file] = split_pair(entry, "--authorized-key");
        for (auto& key : load_public_keys(file)) {
            context.users.keys[name].push_back(std::move(key));
        }
    }
    for (const auto& name : options.privileged_users) {
        context.users.privileged.insert(name);
    }
    for (const auto& spec : options.faults) {
        if (const auto error = ControlChannel::add_fault(context.faults, spec)) {
            throw std::runtime_error("--fault \"" + spec + "\": " + *error);
        }
    }

    if (ssh_init() != SSH_OK) {
        throw std::runtime_error("ssh_init failed");
    }
    auto keys = options.host_keys.empty() ? generate_host_keys() : load_private_keys(options.host_keys);
    SshServer server(context, std::move(keys), options.legacy_only);
    const std::uint16_t port = server.listen(options.listen);

    signal_target = &server;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);

    std::thread stats_writer;
    if (!options.stats_file.empty()) {
        stats_writer = std::thread(write_stats_until_stopped, std::ref(context), options.stats_file);
    }
    ControlChannel control(context, server, [&server] { server.stop(); });
    if (options.control_stdin) {
        std::thread([&control] { control.serve_stdin(); }).detach();
    }
    if (context.verbose) {
        for (const auto& fingerprint : server.host_key_fingerprints()) {
            log_line("host key " + fingerprint);
        }
    }
    // Written last: once the file exists, the simulator answers.
    if (!options.port_file.empty() &&
        !write_file_atomically(options.port_file, std::to_string(port) + "\n")) {
        throw std::runtime_error("cannot write " + options.port_file);
    }
    log_line("listening on port " + std::to_string(port));

    server.run();

    context.stats.touch();  // wakes the stats writer, which then sees `stopping`
    const bool drained = server.wait_for_connections(Clock::now() + std::chrono::seconds(2));
    if (stats_writer.joinable()) {
        stats_writer.join();
    }
    std::cout.flush();
    std::cerr.flush();
    // Session threads still inside libssh (or the control thread blocked on
    // stdin) must not meet destructed globals.
    std::_Exit(drained ? EXIT_SUCCESS : EXIT_FAILURE);
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    constexpr long long max_ms = 24LL * 60 * 60 * 1000;
    CLI::App app{"Simulated Cisco IOS / IOS-XE switch over SSH (test double)", "ios-sim"};
    app.add_option("--listen", options.listen, "ADDR:PORT to listen on (port 0 = any)")
        ->capture_default_str();
    app.add_option("--port-file", options.port_file, "write the bound port here once listening");
    app.add_option("--hostname", options.hostname, "device hostname")->capture_default_str();
    app.add_option("--ports", options.ports, "ports, e.g. Gi1/0/1-48,Gi2/0/1-48 or Fa0/1-24")
        ->capture_default_str();
    app.add_option("--user", options.users, "NAME:PASSWORD (repeatable)");
    app.add_option("--authorized-key", options.authorized_keys, "NAME:PUBKEYFILE (repeatable)");
    app.add_option("--privileged-user", options.privileged_users,
                   "user that logs in at privilege 15 (host#)");
    app.add_option("--enable-secret", options.enable_secret, "enable secret (absent: enable needs none)");
    app.add_option("--host-key", options.host_keys, "private host key file (repeatable; default: ephemeral)");
    app.add_option("--style", options.style, "iosxe | iosxe16 | ios15 | cat4500")->capture_default_str();
    app.add_flag("--legacy-only", options.legacy_only, "offer only the algorithms of old IOS 15");
    app.add_option("--replay", options.replay, "answer `show power inline` with this file's bytes");
    app.add_option("--detect-delay-ms", options.detect_delay_ms, "ms until an enabled port is on")
        ->check(CLI::Range(0LL, max_ms))
        ->capture_default_str();
    app.add_option("--command-delay-ms", options.command_delay_ms, "ms before every answer")
        ->check(CLI::Range(0LL, max_ms))
        ->capture_default_str();
    app.add_option("--write-delay-ms", options.write_delay_ms, "duration of write memory")
        ->check(CLI::Range(0LL, max_ms))
        ->capture_default_str();
    app.add_option("--exec-timeout-ms", options.exec_timeout_ms, "idle vty timeout, 0 = never")
        ->check(CLI::Range(0LL, max_ms))
        ->capture_default_str();
    app.add_option("--banner", options.banner, "MOTD banner (\\n = newline)");
    app.add_option("--max-sessions", options.max_sessions, "vty lines, 0 = unlimited")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    app.add_option("--login-rate", options.login_rate, "successful logins per 60 s, 0 = unlimited")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    app.add_option("--stats-file", options.stats_file, "keep the stats JSON here (atomically rewritten)");
    app.add_flag("--control-stdin", options.control_stdin, "read control commands on stdin");
    app.add_option("--fault", options.faults,
                   "fault as in the control channel, e.g. \"hang 'show power' 1\"");
    app.add_flag("-v,--verbose", options.verbose, "log sessions to stderr");
    CLI11_PARSE(app, argc, argv);

    try {
        return run(options);
    } catch (const std::exception& e) {
        log_line(std::string("error: ") + e.what());
        return 2;
    }
}

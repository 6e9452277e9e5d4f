// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/cisco_ios_driver.hpp"

#include "cisco_ios/host_key_policy.hpp"
#include "cisco_ios/interface_name.hpp"
#include "cisco_ios/show_power_inline_parser.hpp"
#include "cisco_ios/ssh_transport.hpp"
#include "cisco_ios/string_helpers.hpp"
#include "logging.hpp"
#include "option_values.hpp"

#include <algorithm>
#include <fstream>

namespace poe::ios {

CiscoIosDriver::CiscoIosDriver(TransportFactory transport_factory, CiscoIosDriverOptions options)
    : transport_factory_(std::move(transport_factory)), options_(std::move(options)) {
}

CiscoIosDriver::~CiscoIosDriver() {
    CiscoIosDriver::do_disconnect();
}

Result<void> CiscoIosDriver::do_connect(Deadline deadline) {
    session_.reset();
    const Deadline login_deadline = std::min(deadline, deadline_in(options_.connect_timeout));
    auto session = std::make_unique<IosSession>(transport_factory_(), options_.session);
    auto opened = session->open(login_deadline);
    if (!opened) {
        Error error = std::move(opened).error();
        if (error.code == ErrorCode::timeout && login_deadline < deadline) {
            // Our own login bound ran out, not the caller's deadline: the
            // switch is unreachable or too slow, which is a connect failure.
            error.code = ErrorCode::connect_failed;
            error.message += " (connect_timeout_ms " + std::to_string(options_.connect_timeout.count()) + ")";
        }
        return error;
    }
    peer_identity_ = session->peer_identity();
    session_ = std::move(session);
    return success();
}

void CiscoIosDriver::do_disconnect() noexcept {
    session_.reset();
}

Result<IosSession*> CiscoIosDriver::session(Deadline deadline) {
    if (session_ && session_->usable()) {
        return session_.get();
    }
    // An earlier operation left the session in an unknown state without an
    // error code that makes the Driver base drop it (a rejected line whose
    // `end` failed, oversized output): log in afresh.
    if (auto connected = do_connect(deadline); !connected) {
        return std::move(connected).error();
    }
    return session_.get();
}

void CiscoIosDriver::drop_if_unusable() noexcept {
    if (session_ && !session_->usable()) {
        detail::log(LogLevel::debug, "cisco-ios: dropping the session to ", session_->hostname(),
                    " (state unknown)");
        session_.reset();
    }
}

Result<std::vector<PortStatus>> CiscoIosDriver::do_read_ports(Deadline deadline) {
    auto session = this->session(deadline);
    if (!session) {
        return std::move(session).error();
    }
    auto output = (*session)->run("show power inline", deadline);
    drop_if_unusable();
    if (!output) {
        return std::move(output).error();
    }
    return parse_show_power_inline(*output);
}

Result<std::vector<std::string>> CiscoIosDriver::config_lines(std::span<const PortChange> changes) {
    std::vector<std::string> lines;
    lines.reserve(changes.size() * 2);
    for (const PortChange& change : changes) {
        auto name = parse_interface_name(change.port);
        if (!name) {
            return make_error(ErrorCode::invalid_argument,
                              "port " + quote_for_message(change.port) + ": " + name.error().message);
        }
        lines.push_back("interface " + name->long_name());
        const auto& max = change.setting.max_milliwatts;
        switch (change.setting.mode) {
            case AdminMode::never:
                lines.emplace_back("power inline never");
                break;
            case AdminMode::automatic:
                lines.push_back(max ? "power inline auto max " + std::to_string(*max) : "power inline auto");
                break;
            case AdminMode::static_power:
                lines.push_back(max ? "power inline static max " + std::to_string(*max)
                                    : "power inline static");
                break;
        }
    }
    return lines;
}

Result<void> CiscoIosDriver::do_set_admin(std::span<const PortChange> changes, Deadline deadline) {
    auto lines = config_lines(changes);
    if (!lines) {
        return std::move(lines).error();
    }
    auto session = this->session(deadline);
    if (!session) {
        return std::move(session).error();
    }
    auto configured = (*session)->configure(*lines, deadline);
    drop_if_unusable();
    return configured;
}

Result<void> CiscoIosDriver::do_ping(Deadline deadline) {
    auto session = this->session(deadline);
    if (!session) {
        return std::move(session).error();
    }
    auto pinged = (*session)->ping(deadline);
    drop_if_unusable();
    return pinged;
}

Result<void> CiscoIosDriver::do_save_config(Deadline deadline) {
    auto session = this->session(deadline);
    if (!session) {
        return std::move(session).error();
    }
    auto saved = (*session)->save(deadline);
    drop_if_unusable();
    return saved;
}

Result<std::string> CiscoIosDriver::do_normalize_port(std::string_view name) const {
    return normalize_interface_name(name);
}

DriverCapabilities CiscoIosDriver::do_capabilities() const {
    return {.save_config = true, .static_power = true};
}

namespace {

Result<std::unique_ptr<Driver>> create_driver(const DriverOptions& options) {
    auto invalid = [](std::string message) {
        return make_error(ErrorCode::invalid_argument, std::move(message));
    };

    SshTransportOptions ssh;
    ssh.host = std::string(trim(detail::option_text(options, "host")));
    if (ssh.host.empty()) {
        return invalid("option \"host\" is required: the switch's address or name");
    }
    auto port = detail::option_uint(options, "port", 22, 1, 65535);
    if (!port) {
        return std::move(port).error();
    }
    ssh.port = static_cast<std::uint16_t>(*port);
    ssh.username = detail::option_text(options, "username");
    if (ssh.username.empty()) {
        return invalid("option \"username\" is required");
    }
    ssh.password = detail::option_text(options, "password");
    ssh.private_key_file = detail::option_text(options, "private_key_file");
    ssh.private_key_passphrase = detail::option_text(options, "private_key_passphrase");
    if (ssh.password.empty() && ssh.private_key_file.empty()) {
        return invalid("set \"password\" or \"private_key_file\" (or both) to log in to " + ssh.host);
    }
    if (!ssh.private_key_file.empty() && !std::ifstream(ssh.private_key_file)) {
        return invalid("option \"private_key_file\": cannot read " + ssh.private_key_file);
    }
    auto legacy = detail::option_bool(options, "legacy_algorithms", false);
    if (!legacy) {
        return std::move(legacy).error();
    }
    ssh.legacy_algorithms = *legacy;

    const std::string policy_text = detail::option_text(options, "host_key_policy", "strict");
    const auto check = parse_host_key_check(policy_text.empty() ? "strict" : policy_text);
    if (!check) {
        return invalid("option \"host_key_policy\": expected strict, accept-new or off, got " +
                       quote_for_message(policy_text));
    }
    auto policy =
        HostKeyPolicy::create({.check = *check,
                               .known_hosts = detail::option_text(options, "known_hosts"),
                               .fingerprint = detail::option_text(options, "host_key_fingerprint")});
    if (!policy) {
        return std::move(policy).error();
    }

    CiscoIosDriverOptions driver_options;
    driver_options.session.enable_secret = detail::option_text(options, "enable_secret");
    auto connect_timeout =
        detail::option_ms(options, "connect_timeout_ms", std::chrono::seconds{10}, std::chrono::minutes{10});
    if (!connect_timeout) {
        return std::move(connect_timeout).error();
    }
    if (connect_timeout->count() == 0) {
        return invalid("option \"connect_timeout_ms\" must be more than 0");
    }
    driver_options.connect_timeout = *connect_timeout;

    TransportFactory factory = [ssh = std::move(ssh), policy = std::move(policy).value()] {
        return std::unique_ptr<Transport>(std::make_unique<SshTransport>(ssh, policy));
    };
    return std::unique_ptr<Driver>(
        std::make_unique<CiscoIosDriver>(std::move(factory), std::move(driver_options)));
}

}  // namespace

DriverInfo driver_info() {
    DriverInfo info;
    info.name = "cisco-ios";
    info.description = "Cisco IOS / IOS-XE switch over SSH (power inline never|auto|static)";
    info.options = {
        {"host", "Address or DNS name of the switch", "", true, false},
        {"port", "SSH port", "22", false, false},
        {"username", "SSH login name", "", true, false},
        {"password", "SSH password (password and keyboard-interactive login)", "", false, true},
        {"private_key_file", "SSH private key file (tried before the password)", "", false, false},
        {"private_key_passphrase", "Passphrase of private_key_file", "", false, true},
        {"enable_secret", "Enable secret, needed when the login lands at user EXEC (host>)", "", false, true},
        {"host_key_policy",
         "strict (unknown or changed key: refuse), accept-new (record unknown keys in known_hosts) or off",
         "strict", false, false},
        {"known_hosts", "OpenSSH known_hosts file to check the switch's key against", "", false, false},
        {"host_key_fingerprint", "Pinned host key fingerprint, SHA256:<base64> (instead of known_hosts)", "",
         false, false},
        {"legacy_algorithms",
         "Also offer the SSH algorithms of old IOS 15.x (diffie-hellman-group14-sha1, ssh-rsa, aes-cbc, "
         "hmac-sha1)",
         "false", false, false},
        {"connect_timeout_ms", "Bound on one login (TCP, SSH, shell, enable)", "10000", false, false},
    };
    info.factory = create_driver;
    return info;
}

}  // namespace poe::ios

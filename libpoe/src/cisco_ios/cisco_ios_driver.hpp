// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The `cisco-ios` driver: PoE control of Cisco IOS / IOS-XE switches over
/// one long-lived SSH CLI session.

#include "cisco_ios/ios_session.hpp"
#include "cisco_ios/transport.hpp"

#include <poe/driver.hpp>
#include <poe/registry.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace poe::ios {

/// Makes a fresh, unconnected transport for each session.
using TransportFactory = std::function<std::unique_ptr<Transport>()>;

/// Driver settings that are not about the transport.
struct CiscoIosDriverOptions {
    IosSessionOptions session;
    /// Bound on one login (TCP, SSH, shell, first prompt, enable), within
    /// the caller's deadline.
    std::chrono::milliseconds connect_timeout{std::chrono::seconds{10}};
};

/// Reads `show power inline`, writes `power inline never|auto|static [max N]`
/// in one configuration block per batch, saves with `write memory`.
///
/// A session left in an unknown state (timeout, lost connection, output
/// over 1 MiB, failed `end`) is dropped; the next operation logs in again.
class CiscoIosDriver final : public Driver {
public:
    CiscoIosDriver(TransportFactory transport_factory, CiscoIosDriverOptions options);
    ~CiscoIosDriver() override;
    CiscoIosDriver(const CiscoIosDriver&) = delete;
    CiscoIosDriver& operator=(const CiscoIosDriver&) = delete;

    /// IOS configuration lines for `changes` (without configure/end).
    /// @return invalid_argument for a port name that is not an interface name.
    static Result<std::vector<std::string>> config_lines(std::span<const PortChange> changes);

private:
    Result<void> do_connect(Deadline deadline) override;
    void do_disconnect() noexcept override;
    Result<std::vector<PortStatus>> do_read_ports(Deadline deadline) override;
    Result<void> do_set_admin(std::span<const PortChange> changes, Deadline deadline) override;
    Result<void> do_ping(Deadline deadline) override;
    Result<void> do_save_config(Deadline deadline) override;
    [[nodiscard]] Result<std::string> do_normalize_port(std::string_view name) const override;
    [[nodiscard]] DriverCapabilities do_capabilities() const override;
    [[nodiscard]] std::string do_peer_identity() const override { return peer_identity_; }

    Result<IosSession*> session(Deadline deadline);
    void drop_if_unusable() noexcept;

    TransportFactory transport_factory_;
    CiscoIosDriverOptions options_;
    std::unique_ptr<IosSession> session_;
    std::string peer_identity_;
};

/// Registry entry for "cisco-ios". Options: host, port, username, password,
/// private_key_file, private_key_passphrase, enable_secret, host_key_policy,
/// known_hosts, host_key_fingerprint, legacy_algorithms, connect_timeout_ms.
DriverInfo driver_info();

}  // namespace poe::ios

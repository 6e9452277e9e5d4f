// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Transport over an SSH interactive shell (PTY + shell: IOS cannot enter
/// configuration mode over an exec channel). The only libssh user in the
/// project; libssh types stay in ssh_transport.cpp.

#include "cisco_ios/host_key_policy.hpp"
#include "cisco_ios/transport.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace poe::ios {

/// Connection settings of an SshTransport.
struct SshTransportOptions {
    std::string host;
    std::uint16_t port{22};
    std::string username;
    std::string password;          ///< For password and keyboard-interactive auth; may be empty.
    std::string private_key_file;  ///< OpenSSH/PEM private key; may be empty.
    std::string private_key_passphrase;
    /// Adds the algorithms of old IOS 15.x (diffie-hellman-group14-sha1,
    /// group1-sha1, ssh-rsa, aes-cbc, hmac-sha1) to libssh's modern lists.
    bool legacy_algorithms{false};
};

/// SSH shell channel to a switch.
///
/// libssh runs in non-blocking mode throughout; every wait is a poll()
/// bounded by the caller's deadline, so a hung peer costs one deadline.
/// The host key is verified (HostKeyPolicy) before any credential is sent.
/// Only the system's DNS lookup of `host` inside connect() is not bounded
/// by the deadline (libssh resolves synchronously); use an address to avoid it.
///
/// Thread-safety: none; one owner uses it at a time.
class SshTransport final : public Transport {
public:
    SshTransport(SshTransportOptions options, HostKeyPolicy host_key_policy);
    ~SshTransport() override;

    /// TCP connect, key exchange, host key check, authentication (public
    /// key, then password or keyboard-interactive), PTY and shell.
    /// @return connect_failed (TCP refused, unreachable, negotiation failed:
    ///         the message suggests `legacy_algorithms: true` when the switch
    ///         offers only legacy algorithms); host_key_mismatch; auth_failed;
    ///         timeout.
    Result<void> connect(Deadline deadline) override;
    Result<void> write(std::string_view bytes, Deadline deadline) override;
    Result<std::string> read_some(Deadline deadline) override;
    void close() noexcept override;

    /// "<key type> SHA256:<base64>" of the verified host key.
    [[nodiscard]] std::string peer_identity() const override { return peer_identity_; }

private:
    struct Handles;  // libssh session and channel

    Result<void> authenticate(Deadline deadline);
    Result<void> open_shell(Deadline deadline);
    Result<void> verify_host_key();
    Result<void> wait_socket(Deadline deadline);
    [[nodiscard]] std::string where() const;

    SshTransportOptions options_;
    HostKeyPolicy host_key_policy_;
    std::unique_ptr<Handles> handles_;
    std::string peer_identity_;
};

}  // namespace poe::ios

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The backend interface: one Driver talks to one switch over one
/// connection. Drivers are not thread-safe; a poe::SwitchController owns one
/// and serialises every call.

#include <poe/deadline.hpp>
#include <poe/export.hpp>
#include <poe/port.hpp>
#include <poe/result.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace poe {

/// What a driver can do beyond the mandatory operations.
struct DriverCapabilities {
    bool save_config{false};   ///< save_config() persists the running configuration.
    bool static_power{false};  ///< AdminMode::static_power is supported.
};

/// Base class of every backend, in non-virtual-interface form: the public
/// methods check the deadline, keep the connection state and log; the
/// private do_* methods do the device work.
///
/// Thread-safety: not thread-safe, except normalize_port() and
/// capabilities(), which are const, touch no device and may be called
/// from any thread at any time.
class POE_API Driver {
public:
    Driver() = default;
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;
    virtual ~Driver();

    /// Opens the session if it is not open. No-op when connected.
    /// @return connect_failed, auth_failed, host_key_mismatch, timeout.
    Result<void> connect(Deadline deadline);

    /// Closes the session cleanly (leaves no half-done configuration). Safe
    /// to call when not connected.
    void disconnect() noexcept;

    /// True while the driver believes its session is usable.
    [[nodiscard]] bool connected() const noexcept { return connected_; }

    /// Reads every PoE port of the switch in one device operation.
    /// Connects first when needed.
    /// @return the ports in switch order; parse_error with the raw text when
    ///         the output is not understood; connection errors; timeout.
    Result<std::vector<PortStatus>> read_ports(Deadline deadline);

    /// Sets the admin mode of one or several ports in one device operation.
    /// Ports must be normalised names. The switch is never left in a
    /// configuration mode, also not on error.
    /// @return device_rejected with the switch's text; unknown_port;
    ///         unsupported for a setting the backend cannot apply.
    Result<void> set_admin(std::span<const PortChange> changes, Deadline deadline);

    /// Cheap liveness check of the session (keepalive).
    Result<void> ping(Deadline deadline);

    /// Persists the configuration (IOS `write memory`).
    /// @return unsupported unless capabilities().save_config.
    Result<void> save_config(Deadline deadline);

    /// Turns a user's spelling of a port ("gi1/0/5", "GigabitEthernet1/0/05")
    /// into the canonical short form ("Gi1/0/5"). Syntax only: whether the
    /// switch has the port is known after a read.
    /// @return invalid_argument for text that cannot name a port.
    [[nodiscard]] Result<std::string> normalize_port(std::string_view name) const;

    [[nodiscard]] DriverCapabilities capabilities() const { return do_capabilities(); }

    /// How the device identified itself on the last connect, for people to
    /// check (e.g. "ssh-ed25519 SHA256:..." for SSH backends). Empty when
    /// the backend has no such notion or has not connected yet.
    [[nodiscard]] std::string peer_identity() const { return do_peer_identity(); }

private:
    virtual Result<void> do_connect(Deadline deadline) = 0;
    virtual void do_disconnect() noexcept = 0;
    virtual Result<std::vector<PortStatus>> do_read_ports(Deadline deadline) = 0;
    virtual Result<void> do_set_admin(std::span<const PortChange> changes, Deadline deadline) = 0;
    virtual Result<void> do_ping(Deadline deadline) = 0;
    virtual Result<void> do_save_config(Deadline deadline);
    [[nodiscard]] virtual Result<std::string> do_normalize_port(std::string_view name) const = 0;
    [[nodiscard]] virtual DriverCapabilities do_capabilities() const { return {}; }
    [[nodiscard]] virtual std::string do_peer_identity() const { return {}; }

    /// Runs an operation that needs a session: connects first, and marks the
    /// session broken when the operation reports a lost or failed connection
    /// or a timeout (the session's state is then unknown).
    template <typename Op>
    auto with_session(Deadline deadline, Op&& op) -> decltype(op());

    bool connected_{false};
};

}  // namespace poe

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One SwitchController per switch: the only owner of that switch's Driver.
/// It serialises device access on one worker thread, coalesces concurrent
/// reads into one bulk read, caches state briefly, skips writes that change
/// nothing, verifies writes, runs power cycles, keeps the session alive and
/// fails fast while the switch is down.

#include <poe/deadline.hpp>
#include <poe/driver.hpp>
#include <poe/export.hpp>
#include <poe/port.hpp>
#include <poe/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poe {

/// What "power on" does to a port that is already on.
enum class OnWhenOn {
    noop,   ///< Nothing (default): MAAS repeats POSTs while confirming.
    cycle,  ///< Power-cycle it, as IPMI/APC drivers do on redeploy.
};

enum class PowerAction { on, off, cycle };

/// Stable names "on", "off", "cycle".
POE_API std::string_view to_string(PowerAction action) noexcept;

struct ControllerOptions {
    /// How long a bulk read answers later reads. 0 disables the cache (every
    /// read goes to the device, concurrent reads are still coalesced).
    std::chrono::milliseconds cache_ttl{std::chrono::seconds{2}};
    /// Off-time of a power cycle.
    std::chrono::milliseconds cycle_dwell{std::chrono::seconds{5}};
    OnWhenOn on_when_on{OnWhenOn::noop};
    /// Read a port back after writing it and fail if it did not take.
    bool verify_writes{true};
    /// Ping an idle session this often (0: never).
    std::chrono::milliseconds keepalive_interval{std::chrono::seconds{60}};
    /// Close a session idle this long (0: keep it open).
    std::chrono::milliseconds idle_disconnect{std::chrono::minutes{30}};
    /// At most this many logins in any 60 s window; more fail with `busy`.
    unsigned max_logins_per_minute{10};
    /// After this many consecutive connection failures the circuit opens:
    /// calls fail fast with `unavailable` until the backoff has passed.
    unsigned failures_before_open{2};
    std::chrono::milliseconds backoff_initial{std::chrono::seconds{1}};
    std::chrono::milliseconds backoff_max{std::chrono::seconds{30}};
    /// Requests waiting for the device beyond this fail with `busy`.
    std::size_t max_queue{1024};
    /// Persist the configuration (driver save_config, IOS `write memory`)
    /// this long after the last change, so a burst of changes saves once.
    /// 0: never save automatically (default).
    std::chrono::milliseconds save_after_changes{0};
    /// Deadline of one automatic save (saving is slow on real switches).
    std::chrono::milliseconds save_timeout{std::chrono::minutes{2}};
};

/// Per-call options of a power change.
struct PowerOptions {
    /// The setting "on" applies (auto by default; static with max mW).
    AdminSetting on_setting{};
    /// Overrides ControllerOptions::on_when_on / cycle_dwell for this call.
    std::optional<OnWhenOn> on_when_on;
    std::optional<std::chrono::milliseconds> cycle_dwell;
};

/// What a power change did.
struct PowerOutcome {
    PortStatus before;    ///< State read before acting.
    PortStatus after;     ///< State after acting (read back when verifying).
    bool changed{false};  ///< The device was written.
    bool cycled{false};   ///< The port went off and on again.
};

/// Monotonic counters, for metrics. Copied out under a lock.
struct ControllerStats {
    std::uint64_t device_reads{0};    ///< Bulk reads sent to the device.
    std::uint64_t device_writes{0};   ///< set_admin calls sent to the device.
    std::uint64_t writes_skipped{0};  ///< Power requests that needed no write.
    std::uint64_t logins{0};          ///< Successful connects.
    std::uint64_t login_failures{0};
    std::uint64_t reconnects{0};  ///< Logins after the first.
    std::uint64_t keepalives{0};
    std::uint64_t saves{0};  ///< Successful configuration saves.
    std::uint64_t cache_hits{0};
    std::uint64_t cache_misses{0};
    std::uint64_t coalesced_reads{0};  ///< Reads answered by another caller's device read.
    std::uint64_t device_op_count{0};
    double device_op_seconds{0.0};              ///< Sum of device operation durations.
    std::map<ErrorCode, std::uint64_t> errors;  ///< Failed device operations by code.
    bool connected{false};
    bool circuit_open{false};
    std::size_t queued{0};
};

/// Thread-safety: every public method may be called from any thread
/// concurrently. Callbacks run on the controller's worker thread or its
/// deadline timer thread; they must return quickly and must not call
/// blocking methods of the same controller.
class POE_API SwitchController {
public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    /// Takes ownership of `driver` and starts the worker.
    /// @return invalid_argument for an empty id, null driver or bad options.
    static Result<std::unique_ptr<SwitchController>> create(std::string id, std::unique_ptr<Driver> driver,
                                                            ControllerOptions options = {});

    /// Stops the worker: pending calls complete with `cancelled`, the
    /// session is closed cleanly. Blocks until the worker has exited.
    ~SwitchController();

    SwitchController(const SwitchController&) = delete;
    SwitchController& operator=(const SwitchController&) = delete;

    [[nodiscard]] const std::string& id() const noexcept;
    [[nodiscard]] const ControllerOptions& options() const noexcept;

    /// Canonical port name (syntax only). Thread-safe, never touches the device.
    [[nodiscard]] Result<std::string> normalize_port(std::string_view name) const;

    /// State of one port. Served from the cache when fresh; otherwise joins
    /// a pending or running bulk read, or starts one.
    /// @return unknown_port when the switch has no such PoE port.
    void async_status(std::string port, Deadline deadline, Callback<PortStatus> done);

    /// State of every PoE port (same cache and coalescing as async_status).
    void async_status_all(Deadline deadline, Callback<std::vector<PortStatus>> done);

    /// Powers a port on, off or cycles it. Writes only when the admin state
    /// must change; verifies the write; invalidates the cache. A cycle's off
    /// and on are separate device operations with the dwell in between,
    /// during which other requests are served.
    void async_power(std::string port, PowerAction action, Deadline deadline, Callback<PowerOutcome> done,
                     PowerOptions power_options = {});

    /// Blocking forms of the above (wait up to the deadline).
    Result<PortStatus> status(std::string_view port, Deadline deadline);
    Result<std::vector<PortStatus>> status_all(Deadline deadline);
    Result<PowerOutcome> power(std::string_view port, PowerAction action, Deadline deadline,
                               PowerOptions power_options = {});

    /// Persists the switch configuration now (driver capability), queued
    /// behind pending device work.
    /// @return unsupported when the driver cannot save.
    void async_save_config(Deadline deadline, Callback<void> done);
    Result<void> save_config(Deadline deadline);

    /// Counters since creation.
    [[nodiscard]] ControllerStats stats() const;

    /// The last successful bulk read and its age, without touching the device.
    [[nodiscard]] std::optional<std::pair<std::vector<PortStatus>, std::chrono::milliseconds>> last_read()
        const;

    struct Impl;  // private to the implementation file

private:
    explicit SwitchController(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace poe

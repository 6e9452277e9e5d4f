#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "interface_name.hpp"

namespace ios_sim {

using Clock = std::chrono::steady_clock;

/// The `power inline` mode configured on a port.
enum class AdminMode { automatic, never, static_power };

/// What `show power inline` reports for one port at one instant.
struct PortView {
    InterfaceId id;
    AdminMode mode = AdminMode::automatic;
    std::optional<int> configured_max_mw;  ///< `... max N` when configured
    int max_mw = 0;                        ///< effective Max column
    bool shutdown = false;
    std::string admin;   ///< `auto`, `static`, `off`
    std::string oper;    ///< `on`, `off`, `faulty`, ...
    double watts = 0.0;  ///< power drawn (0 unless on)
    std::string device;  ///< `Ieee PD` or `n/a`
    std::string pd_class;
};

/// The switch's PoE ports, shared by every session (internally locked).
class SwitchState {
public:
    SwitchState(std::string hostname, std::vector<InterfaceId> ports);

    const std::string& hostname() const { return hostname_; }
    /// Fixed at start-up, so safe to read without the lock.
    const std::vector<InterfaceId>& port_ids() const { return ids_; }

    std::vector<PortView> snapshot(Clock::time_point now) const;
    std::optional<PortView> port(const InterfaceId& id, Clock::time_point now) const;

    /// Applies `power inline ...`; detection restarts when the mode changes
    /// (a PoE change drops power). Returns whether the configuration changed.
    bool set_power(const InterfaceId& id, AdminMode mode, std::optional<int> max_mw, Clock::time_point now,
                   std::chrono::milliseconds detect_delay);
    void set_shutdown(const InterfaceId& id, bool shutdown);

    /// Test hooks: force the Oper column (nullopt = computed again), or change
    /// what is plugged in.
    bool set_oper_override(const InterfaceId& id, std::optional<std::string> oper);
    bool set_device(const InterfaceId& id, std::string device, std::string pd_class, double watts);

    /// Earliest future instant at which some port's Oper changes by itself.
    std::optional<Clock::time_point> next_oper_change(Clock::time_point now) const;

private:
    struct Port {
        AdminMode mode = AdminMode::automatic;
        std::optional<int> max_mw;
        bool shutdown = false;
        Clock::time_point detected_at{};
        std::optional<std::string> oper_override;
        std::string device = "Ieee PD";
        std::string pd_class = "4";
        double watts = 0.0;
    };

    PortView view(std::size_t index, Clock::time_point now) const;
    std::optional<std::size_t> index_of(const InterfaceId& id) const;

    const std::string hostname_;
    const std::vector<InterfaceId> ids_;
    mutable std::mutex mutex_;
    std::vector<Port> ports_;
};

std::string admin_keyword(AdminMode mode);

}  // namespace ios_sim

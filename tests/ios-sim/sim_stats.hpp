#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "switch_state.hpp"

namespace ios_sim {

/// Counters the tests assert on (internally locked). Every change bumps a
/// generation so the stats-file writer knows when to rewrite the file.
class SimStats {
public:
    void session_opened();
    void session_refused();
    void session_closed(bool in_config_mode, bool timed_out);
    void login_succeeded();
    void login_failed(bool rate_limited);
    void command(std::string_view name);
    void config_changed();
    /// Brackets a command that reads or changes the shared switch state. A
    /// begin while another session is inside such a command is a violation:
    /// a client must never drive one switch from two sessions at once.
    void begin_switch_command();
    void end_switch_command();

    int sessions_active() const;

    /// Counters plus the admin/oper state of every port.
    boost::json::object to_json(const SwitchState& state, Clock::time_point now) const;

    std::uint64_t generation() const;
    /// Waits until the generation differs from @p seen, or until @p deadline.
    void wait_for_change(std::uint64_t seen, Clock::time_point deadline) const;
    /// Marks the port state as changed (for the stats file); also wakes
    /// the writer at shutdown.
    void touch();

private:
    void changed();  // with mutex_ held

    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    std::uint64_t generation_ = 0;

    std::uint64_t logins_ = 0;
    std::uint64_t login_failures_ = 0;
    std::uint64_t logins_rate_limited_ = 0;
    int sessions_active_ = 0;
    int sessions_max_seen_ = 0;
    std::uint64_t sessions_total_ = 0;
    std::uint64_t sessions_refused_ = 0;
    std::uint64_t sessions_timed_out_ = 0;
    std::uint64_t commands_ = 0;
    std::map<std::string, std::uint64_t, std::less<>> commands_by_name_;
    std::uint64_t config_changes_ = 0;
    std::uint64_t sessions_ended_in_config_mode_ = 0;
    std::uint64_t concurrent_command_violations_ = 0;
    int switch_commands_in_flight_ = 0;
};

}  // namespace ios_sim

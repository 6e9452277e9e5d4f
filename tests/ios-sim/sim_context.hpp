#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fault_set.hpp"
#include "sim_settings.hpp"
#include "sim_stats.hpp"
#include "ssh_keys.hpp"
#include "switch_state.hpp"

namespace ios_sim {

/// Local user database (`username X secret Y` plus `ip ssh pubkey-chain`).
struct UserDb {
    std::map<std::string, std::string> passwords;
    std::map<std::string, std::vector<KeyPtr>> keys;
    std::set<std::string> privileged;  ///< `privilege 15`: log in at `host#`

    bool password_ok(const std::string& user, const std::string& password) const;
    bool key_ok(const std::string& user, ssh_key key) const;
};

/// `login block-for`-like limit on successful logins per minute.
class LoginLimiter {
public:
    /// Records a login unless @p per_minute (0 = unlimited) were already
    /// reached in the last 60 seconds.
    bool try_acquire(Clock::time_point now, int per_minute);

private:
    std::mutex mutex_;
    std::deque<Clock::time_point> recent_;
};

/// Everything the sessions, the listener and the control channel share.
struct SimContext {
    SimContext(std::string hostname, std::vector<InterfaceId> ports, SettingsValues values)
        : state(std::move(hostname), std::move(ports)), settings(std::move(values)) {}

    SwitchState state;
    FaultSet faults;
    SimStats stats;
    RuntimeSettings settings;
    UserDb users;
    LoginLimiter login_limiter;
    Clock::time_point booted = Clock::now();
    bool verbose = false;
    bool legacy_only = false;  ///< only ssh-rsa user keys, like old IOS
    std::atomic<bool> stopping{false};
    /// Bumped to make every live session drop its connection.
    std::atomic<unsigned> drop_generation{0};
};

/// Diagnostics go to stderr; stdout belongs to the control channel.
void log_line(const std::string& text);

}  // namespace ios_sim

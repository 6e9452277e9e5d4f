#include "sim_stats.hpp"

#include <algorithm>

namespace ios_sim {

void SimStats::changed() {
    ++generation_;
    cv_.notify_all();
}

void SimStats::session_opened() {
    std::lock_guard lock(mutex_);
    ++sessions_active_;
    ++sessions_total_;
    sessions_max_seen_ = std::max(sessions_max_seen_, sessions_active_);
    changed();
}

void SimStats::session_refused() {
    std::lock_guard lock(mutex_);
    ++sessions_refused_;
    changed();
}

void SimStats::session_closed(bool in_config_mode, bool timed_out) {
    std::lock_guard lock(mutex_);
    --sessions_active_;
    if (in_config_mode) {
        ++sessions_ended_in_config_mode_;
    }
    if (timed_out) {
        ++sessions_timed_out_;
    }
    changed();
}

void SimStats::login_succeeded() {
    std::lock_guard lock(mutex_);
    ++logins_;
    changed();
}

void SimStats::login_failed(bool rate_limited) {
    std::lock_guard lock(mutex_);
    ++login_failures_;
    if (rate_limited) {
        ++logins_rate_limited_;
    }
    changed();
}

void SimStats::command(std::string_view name) {
    std::lock_guard lock(mutex_);
    ++commands_;
    if (!name.empty()) {
        auto it = commands_by_name_.find(name);
        if (it == commands_by_name_.end()) {
            it = commands_by_name_.emplace(std::string(name), 0).first;
        }
        ++it->second;
    }
    changed();
}

void SimStats::config_changed() {
    std::lock_guard lock(mutex_);
    ++config_changes_;
    changed();
}

void SimStats::begin_switch_command() {
    std::lock_guard lock(mutex_);
    if (switch_commands_in_flight_ > 0) {
        ++concurrent_command_violations_;
        changed();
    }
    ++switch_commands_in_flight_;
}

void SimStats::end_switch_command() {
    std::lock_guard lock(mutex_);
    --switch_commands_in_flight_;
}

int SimStats::sessions_active() const {
    std::lock_guard lock(mutex_);
    return sessions_active_;
}

std::uint64_t SimStats::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void SimStats::wait_for_change(std::uint64_t seen, Clock::time_point deadline) const {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, deadline, [&] { return generation_ != seen; });
}

void SimStats::touch() {
    std::lock_guard lock(mutex_);
    changed();
}

boost::json::object SimStats::to_json(const SwitchState& state, Clock::time_point now) const {
    boost::json::object out;
    {
        std::lock_guard lock(mutex_);
        out["logins"] = logins_;
        out["login_failures"] = login_failures_;
        out["logins_rate_limited"] = logins_rate_limited_;
        out["sessions_active"] = sessions_active_;
        out["sessions_max_seen"] = sessions_max_seen_;
        out["sessions_total"] = sessions_total_;
        out["sessions_refused"] = sessions_refused_;
        out["sessions_timed_out"] = sessions_timed_out_;
        out["commands"] = commands_;
        boost::json::object by_name;
        for (const auto& [name, count] : commands_by_name_) {
            by_name[name] = count;
        }
        out["commands_by_name"] = std::move(by_name);
        out["config_changes"] = config_changes_;
        out["sessions_ended_in_config_mode"] = sessions_ended_in_config_mode_;
        out["concurrent_command_violations"] = concurrent_command_violations_;
    }
    boost::json::object ports;
    for (const auto& port : state.snapshot(now)) {
        boost::json::object entry;
        entry["admin"] = port.admin;               // as `show power inline` prints it
        entry["mode"] = admin_keyword(port.mode);  // as configured
        entry["oper"] = port.oper;
        entry["watts"] = port.watts;
        ports[port.id.short_name()] = std::move(entry);
    }
    out["ports"] = std::move(ports);
    return out;
}

}  // namespace ios_sim

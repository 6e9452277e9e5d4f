#include "sim_context.hpp"

#include <iostream>

namespace ios_sim {

bool UserDb::password_ok(const std::string& user, const std::string& password) const {
    const auto it = passwords.find(user);
    return it != passwords.end() && it->second == password;
}

bool UserDb::key_ok(const std::string& user, ssh_key key) const {
    const auto it = keys.find(user);
    if (it == keys.end()) {
        return false;
    }
    for (const auto& candidate : it->second) {
        if (ssh_key_cmp(candidate.get(), key, SSH_KEY_CMP_PUBLIC) == 0) {
            return true;
        }
    }
    return false;
}

bool LoginLimiter::try_acquire(Clock::time_point now, int per_minute) {
    std::lock_guard lock(mutex_);
    while (!recent_.empty() && recent_.front() <= now - std::chrono::seconds(60)) {
        recent_.pop_front();
    }
    if (per_minute > 0 && recent_.size() >= static_cast<std::size_t>(per_minute)) {
        return false;
    }
    recent_.push_back(now);
    return true;
}

void log_line(const std::string& text) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::cerr << "ios-sim: " << text << std::endl;
}

}  // namespace ios_sim

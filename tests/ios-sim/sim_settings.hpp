#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "show_renderer.hpp"

namespace ios_sim {

/// Everything that the command line sets and the control channel may change
/// while sessions run.
struct SettingsValues {
    OutputStyle style = OutputStyle::iosxe;
    std::chrono::milliseconds detect_delay{0};
    std::chrono::milliseconds command_delay{0};
    std::chrono::milliseconds write_delay{500};
    std::chrono::milliseconds exec_timeout{std::chrono::minutes(10)};  ///< IOS `exec-timeout 10 0`
    int max_sessions = 16;                                             ///< `line vty 0 15`; 0 = unlimited
    int login_rate = 0;                                                ///< logins per 60 s; 0 = unlimited
    std::string banner;
    std::optional<std::string> enable_secret;
    std::optional<std::string> replay;  ///< bytes answering `show power inline`
};

/// Locked holder of SettingsValues; readers take a copy.
class RuntimeSettings {
public:
    explicit RuntimeSettings(SettingsValues values) : values_(std::move(values)) {}

    SettingsValues get() const {
        std::lock_guard lock(mutex_);
        return values_;
    }

    template <typename F>
    void update(F&& change) {
        std::lock_guard lock(mutex_);
        change(values_);
    }

private:
    mutable std::mutex mutex_;
    SettingsValues values_;
};

}  // namespace ios_sim

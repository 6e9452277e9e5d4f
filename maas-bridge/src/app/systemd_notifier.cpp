// SPDX-License-Identifier: Apache-2.0
#include "app/systemd_notifier.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <string>

#include <time.h>

namespace maas_bridge {
namespace {

void notify(const std::string& state) {
    // sd_notify returns 0 without NOTIFY_SOCKET: nothing to do then.
    if (const int rc = sd_notify(0, state.c_str()); rc < 0) {
        spdlog::warn("sd_notify failed: error {}", -rc);
    }
}

}  // namespace

void notify_ready(std::string_view status) {
    notify("READY=1\nSTATUS=" + std::string(status));
}

void notify_reloading() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec = static_cast<long long>(now.tv_sec) * 1'000'000LL + now.tv_nsec / 1000;
    notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void notify_stopping() {
    notify("STOPPING=1");
}

}  // namespace maas_bridge

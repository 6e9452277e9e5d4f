#include "switch_state.hpp"

#include <algorithm>

namespace ios_sim {

std::string admin_keyword(AdminMode mode) {
    switch (mode) {
        case AdminMode::automatic:
            return "auto";
        case AdminMode::never:
            return "never";
        case AdminMode::static_power:
            return "static";
    }
    return "auto";
}

SwitchState::SwitchState(std::string hostname, std::vector<InterfaceId> ports)
    : hostname_(std::move(hostname)), ids_(std::move(ports)), ports_(ids_.size()) {
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        // 4.5 .. 6.5 W, varying by port so a parser that mixes up rows is caught.
        ports_[i].watts = 4.5 + static_cast<double>((i * 13) % 21) / 10.0;
    }
}

std::optional<std::size_t> SwitchState::index_of(const InterfaceId& id) const {
    const auto it = std::find(ids_.begin(), ids_.end(), id);
    if (it == ids_.end()) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(it - ids_.begin());
}

PortView SwitchState::view(std::size_t index, Clock::time_point now) const {
    const Port& port = ports_[index];
    PortView out;
    out.id = ids_[index];
    out.mode = port.mode;
    out.configured_max_mw = port.max_mw;
    out.max_mw = port.max_mw.value_or(ids_[index].type->default_max_mw);
    out.shutdown = port.shutdown;
    out.admin = port.mode == AdminMode::never ? "off" : admin_keyword(port.mode);
    if (port.oper_override) {
        out.oper = *port.oper_override;
    } else if (port.mode == AdminMode::never || now < port.detected_at) {
        out.oper = "off";
    } else {
        out.oper = "on";
    }
    if (out.oper == "on") {
        out.watts = port.mode == AdminMode::static_power ? out.max_mw / 1000.0 : port.watts;
        out.device = port.device;
        out.pd_class = port.pd_class;
    } else {
        out.device = "n/a";
        out.pd_class = "n/a";
    }
    return out;
}

std::vector<PortView> SwitchState::snapshot(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    std::vector<PortView> out;
    out.reserve(ports_.size());
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        out.push_back(view(i, now));
    }
    return out;
}

std::optional<PortView> SwitchState::port(const InterfaceId& id, Clock::time_point now) const {
    const auto index = index_of(id);
    if (!index) {
        return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    return view(*index, now);
}

bool SwitchState::set_power(const InterfaceId& id, AdminMode mode, std::optional<int> max_mw,
                            Clock::time_point now, std::chrono::milliseconds detect_delay) {
    const auto index = index_of(id);
    if (!index) {
        return false;
    }
    std::lock_guard lock(mutex_);
    Port& port = ports_[*index];
    if (port.mode == mode && port.max_mw == max_mw) {
        return false;
    }
    port.mode = mode;
    port.max_mw = max_mw;
    port.detected_at = now + detect_delay;
    return true;
}

void SwitchState::set_shutdown(const InterfaceId& id, bool shutdown) {
    if (const auto index = index_of(id)) {
        std::lock_guard lock(mutex_);
        ports_[*index].shutdown = shutdown;
    }
}

bool SwitchState::set_oper_override(const InterfaceId& id, std::optional<std::string> oper) {
    const auto index = index_of(id);
    if (!index) {
        return false;
    }
    std::lock_guard lock(mutex_);
    ports_[*index].oper_override = std::move(oper);
    return true;
}

bool SwitchState::set_device(const InterfaceId& id, std::string device, std::string pd_class, double watts) {
    const auto index = index_of(id);
    if (!index) {
        return false;
    }
    std::lock_guard lock(mutex_);
    Port& port = ports_[*index];
    port.device = std::move(device);
    port.pd_class = std::move(pd_class);
    port.watts = watts;
    return true;
}

std::optional<Clock::time_point> SwitchState::next_oper_change(Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    std::optional<Clock::time_point> next;
    for (const Port& port : ports_) {
        if (port.mode != AdminMode::never && port.detected_at > now && (!next || port.detected_at < *next)) {
            next = port.detected_at;
        }
    }
    return next;
}

}  // namespace ios_sim

// SPDX-License-Identifier: Apache-2.0
#include "fake/fake_switch.hpp"

#include <algorithm>

namespace poe::fake {

FakeSwitch::FakeSwitch(std::vector<std::string> ports, FakeSwitchOptions options)
    : order_(std::move(ports)), options_(std::move(options)) {
    const auto now = Clock::now() - options_.detect_delay;
    for (const auto& name : order_) {
        const AdminSetting admin{options_.initially_on ? AdminMode::automatic : AdminMode::never,
                                 std::nullopt};
        ports_.emplace(name, Port{admin, now});
    }
}

FakeSwitch::~FakeSwitch() {
    const std::lock_guard lock(mutex_);
    closing_ = true;
    wake_.notify_all();
}

void FakeSwitch::fail_next(Operation op, Error error, unsigned times) {
    const std::lock_guard lock(mutex_);
    for (unsigned i = 0; i < times; ++i) {
        faults_.push_back(Fault{op, error});
    }
}

void FakeSwitch::hang_next(Operation op, unsigned times) {
    const std::lock_guard lock(mutex_);
    for (unsigned i = 0; i < times; ++i) {
        faults_.push_back(Fault{op, std::nullopt});
    }
}

void FakeSwitch::set_latency(std::chrono::milliseconds latency) {
    const std::lock_guard lock(mutex_);
    options_.latency = latency;
}

void FakeSwitch::set_detect_delay(std::chrono::milliseconds delay) {
    const std::lock_guard lock(mutex_);
    options_.detect_delay = delay;
}

void FakeSwitch::set_admin_externally(const std::string& port, AdminSetting setting) {
    const std::lock_guard lock(mutex_);
    if (auto it = ports_.find(port); it != ports_.end()) {
        it->second.admin = setting;
        it->second.enabled_at = Clock::now();
    }
}

FakeCounters FakeSwitch::counters() const {
    const std::lock_guard lock(mutex_);
    return counters_;
}

bool FakeSwitch::busy() const {
    const std::lock_guard lock(mutex_);
    return in_flight_ > 0;
}

std::vector<std::string> FakeSwitch::port_names() const {
    const std::lock_guard lock(mutex_);
    return order_;
}

std::optional<PortStatus> FakeSwitch::port(const std::string& name) const {
    const std::lock_guard lock(mutex_);
    const auto it = ports_.find(name);
    if (it == ports_.end()) {
        return std::nullopt;
    }
    return render(name, it->second, Clock::now());
}

// Marks an operation as running on the "device" for its whole duration so
// overlapping operations (which a correct controller never issues) are seen.
class FakeSwitch::OperationScope {
public:
    explicit OperationScope(FakeSwitch& device) : device_(device) {
        if (++device_.in_flight_ > 1) {
            ++device_.counters_.interleavings;
        }
    }
    ~OperationScope() { --device_.in_flight_; }
    OperationScope(const OperationScope&) = delete;
    OperationScope& operator=(const OperationScope&) = delete;

private:
    FakeSwitch& device_;
};

Result<void> FakeSwitch::begin(Operation op, Deadline deadline, std::unique_lock<std::mutex>& lock) {
    std::optional<Fault> fault;
    if (auto it = std::find_if(faults_.begin(), faults_.end(), [op](const Fault& f) { return f.op == op; });
        it != faults_.end()) {
        fault = *it;
        faults_.erase(it);
    }
    const bool hang = fault && !fault->error;
    const auto until = hang ? deadline : std::min(deadline, Clock::now() + options_.latency);
    // The mutex is released while "the device works", like a real round trip.
    wake_.wait_until(lock, until, [&] { return closing_; });
    if (closing_) {
        return make_error(ErrorCode::connection_lost, "fake switch is shutting down");
    }
    if (Clock::now() >= deadline) {
        return make_error(ErrorCode::timeout, hang ? "fake switch hung (injected)" : "fake switch too slow");
    }
    if (fault && fault->error) {
        return *fault->error;
    }
    return success();
}

PortStatus FakeSwitch::render(const std::string& name, const Port& port, Clock::time_point now) const {
    PortStatus status;
    status.name = name;
    status.admin = port.admin.mode;
    status.max_watts =
        port.admin.max_milliwatts ? static_cast<double>(*port.admin.max_milliwatts) / 1000.0 : 30.0;
    const bool powered =
        port.admin.mode != AdminMode::never && now - port.enabled_at >= options_.detect_delay;
    status.oper = powered ? OperState::on : OperState::off;
    status.oper_text = std::string(to_string(status.oper));
    if (powered) {
        status.watts = options_.device_watts;
        status.device = options_.device_name;
        status.poe_class = "4";
    }
    return status;
}

Result<void> FakeSwitch::connect(Deadline deadline) {
    std::unique_lock lock(mutex_);
    const OperationScope scope(*this);
    auto started = begin(Operation::connect, deadline, lock);
    if (started) {
        ++counters_.connects;
    }
    return started;
}

void FakeSwitch::disconnect() {
    const std::lock_guard lock(mutex_);
    ++counters_.disconnects;
}

Result<std::vector<PortStatus>> FakeSwitch::read(Deadline deadline) {
    std::unique_lock lock(mutex_);
    const OperationScope scope(*this);
    if (auto started = begin(Operation::read, deadline, lock); !started) {
        return std::move(started).error();
    }
    ++counters_.reads;
    std::vector<PortStatus> out;
    out.reserve(order_.size());
    const auto now = Clock::now();
    for (const auto& name : order_) {
        out.push_back(render(name, ports_.at(name), now));
    }
    return out;
}

Result<void> FakeSwitch::write(std::span<const PortChange> changes, Deadline deadline) {
    std::unique_lock lock(mutex_);
    const OperationScope scope(*this);
    if (auto started = begin(Operation::write, deadline, lock); !started) {
        return started;
    }
    for (const auto& change : changes) {
        if (!ports_.contains(change.port)) {
            return make_error(ErrorCode::unknown_port, "fake switch has no port " + change.port);
        }
    }
    ++counters_.writes;
    const auto now = Clock::now();
    for (const auto& change : changes) {
        Port& port = ports_.at(change.port);
        // As on IOS, re-applying the same mode changes nothing on the port.
        if (port.admin != change.setting) {
            port.admin = change.setting;
            port.enabled_at = now;
            ++counters_.port_changes;
        }
    }
    return success();
}

Result<void> FakeSwitch::ping(Deadline deadline) {
    std::unique_lock lock(mutex_);
    const OperationScope scope(*this);
    auto started = begin(Operation::ping, deadline, lock);
    if (started) {
        ++counters_.pings;
    }
    return started;
}

Result<void> FakeSwitch::save(Deadline deadline) {
    std::unique_lock lock(mutex_);
    const OperationScope scope(*this);
    auto started = begin(Operation::save, deadline, lock);
    if (started) {
        ++counters_.saves;
    }
    return started;
}

}  // namespace poe::fake

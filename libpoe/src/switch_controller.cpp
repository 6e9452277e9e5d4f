// SPDX-License-Identifier: Apache-2.0
#include <poe/switch_controller.hpp>

#include "deadline_timer.hpp"
#include "logging.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace poe {

std::string_view to_string(PowerAction action) noexcept {
    switch (action) {
        case PowerAction::on:
            return "on";
        case PowerAction::off:
            return "off";
        case PowerAction::cycle:
            return "cycle";
    }
    return "on";
}

namespace {

using std::chrono::milliseconds;

// How long after powering a port on we keep reading it fresh while it shows
// no powered device. IEEE 802.3af/at detection and classification take well
// under a second; a Raspberry Pi PoE HAT is up in about 0.5 s. A port still off
// after this is most likely empty.
constexpr milliseconds settle_window{10'000};

// A caller waiting for one answer. Completed exactly once: by the worker, by
// the deadline timer (timeout), or by shutdown (cancelled).
template <typename T>
class Pending {
public:
    Pending(SwitchController::Callback<T> callback, Deadline deadline)
        : callback_(std::move(callback)), deadline_(deadline) {}

    static std::shared_ptr<Pending> start(SwitchController::Callback<T> callback, Deadline deadline,
                                          std::string what) {
        auto pending = std::make_shared<Pending>(std::move(callback), deadline);
        std::weak_ptr<Pending> weak = pending;
        auto& timer = detail::DeadlineTimer::instance();
        pending->timer_ = timer.make_handle(deadline);
        timer.schedule(pending->timer_, [weak, what = std::move(what)] {
            if (auto self = weak.lock()) {
                self->complete(make_error(ErrorCode::timeout, what + ": deadline passed"));
            }
        });
        return pending;
    }

    bool complete(Result<T> result) {
        if (done_.exchange(true)) {
            return false;
        }
        detail::DeadlineTimer::instance().cancel(timer_);
        callback_(std::move(result));
        callback_ = nullptr;
        return true;
    }

    [[nodiscard]] bool done() const { return done_.load(); }
    [[nodiscard]] Deadline deadline() const { return deadline_; }

private:
    std::atomic<bool> done_{false};
    SwitchController::Callback<T> callback_;
    Deadline deadline_;
    detail::DeadlineTimer::Handle timer_{};
};

using PortsResult = Result<std::vector<PortStatus>>;

// Somebody who wants the result of the next (or the running) bulk read:
// either all ports or one of them.
struct ReadWaiter {
    std::optional<std::string> port;  // nullopt: all ports
    std::shared_ptr<Pending<PortStatus>> one;
    std::shared_ptr<Pending<std::vector<PortStatus>>> all;

    [[nodiscard]] bool done() const { return one ? one->done() : all->done(); }
    [[nodiscard]] Deadline deadline() const { return one ? one->deadline() : all->deadline(); }
};

struct PowerJob {
    std::string port;
    PowerAction action{PowerAction::on};
    PowerOptions options;
    std::shared_ptr<Pending<PowerOutcome>> pending;
    Deadline deadline{};
    // Second half of a cycle: turn back on after the dwell.
    bool cycle_on_half{false};
    PortStatus before;
};

Error unknown_port_error(const std::string& switch_id, const std::string& port) {
    return make_error(ErrorCode::unknown_port, "switch \"" + switch_id + "\" has no PoE port " + port);
}

const PortStatus* find_port(const std::vector<PortStatus>& ports, const std::string& name) {
    const auto it =
        std::find_if(ports.begin(), ports.end(), [&](const PortStatus& p) { return p.name == name; });
    return it == ports.end() ? nullptr : &*it;
}

bool counts_against_switch(ErrorCode code) {
    return code == ErrorCode::connect_failed || code == ErrorCode::connection_lost ||
           code == ErrorCode::timeout || code == ErrorCode::auth_failed ||
           code == ErrorCode::host_key_mismatch;
}

}  // namespace

// Hidden: the nested type is declared in an exported class and would
// otherwise leak its members into the ABI.
struct __attribute__((visibility("hidden"))) SwitchController::Impl {
    Impl(std::string switch_id, std::unique_ptr<Driver> device_driver, ControllerOptions controller_options)
        : id(std::move(switch_id)), driver(std::move(device_driver)), options(controller_options) {}

    const std::string id;
    const std::unique_ptr<Driver> driver;
    const ControllerOptions options;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool stopping{false};

    std::vector<ReadWaiter> next_read;     // waiting for a read not started yet
    std::vector<ReadWaiter> running_read;  // attached to the read in progress
    bool read_in_progress{false};
    Deadline running_read_deadline{};  // how long the read in progress may take
    std::deque<PowerJob> writes;
    std::multimap<Clock::time_point, PowerJob> scheduled;  // cycle on-halves
    std::deque<std::shared_ptr<Pending<void>>> saves;      // explicit save requests
    std::optional<Clock::time_point> save_due;             // automatic save after changes
    bool last_was_write{false};

    std::optional<std::vector<PortStatus>> last_ports;
    Clock::time_point last_ports_at{};
    bool cache_valid{false};
    // Ports we powered on that have not shown a powered device yet, with the
    // time after which we stop waiting for one. While any of them is still
    // coming up, reads are not cached: MAAS polls right after "on" and must
    // see the port start delivering, not a snapshot from before detection.
    std::map<std::string, Clock::time_point> settling;

    ControllerStats stats;
    Clock::time_point last_request{Clock::now()};  // a caller wanted the device (idle close)
    Clock::time_point last_io{Clock::now()};       // the session carried traffic (keepalive)
    std::deque<Clock::time_point> login_times;
    unsigned consecutive_failures{0};
    Clock::time_point circuit_open_until{};
    milliseconds backoff{0};
    std::string last_failure;

    std::thread worker;

    // --- called with the mutex held -----------------------------------------

    [[nodiscard]] bool cache_fresh(Clock::time_point now) const {
        return cache_valid && options.cache_ttl.count() > 0 && now - last_ports_at < options.cache_ttl;
    }

    // A caller shares the read in progress only if that read may still run
    // at least half as long as the caller is willing to wait. Callers with
    // similar deadlines (MAAS's queries) share one read; a patient caller
    // does not inherit the timeout of a read started for an impatient one
    // (or of a read that is close to its end on a hung switch): it waits for
    // the next read, which gets its whole budget.
    [[nodiscard]] bool can_join_running_read(Deadline deadline) const {
        const auto now = Clock::now();
        return read_in_progress && (running_read_deadline - now) * 2 >= deadline - now;
    }

    [[nodiscard]] std::size_t queued() const {
        return next_read.size() + running_read.size() + writes.size() + scheduled.size() + saves.size();
    }

    [[nodiscard]] bool has_work(Clock::time_point now) const {
        return !next_read.empty() || !writes.empty() || !saves.empty() ||
               (!scheduled.empty() && scheduled.begin()->first <= now) || (save_due && *save_due <= now);
    }

    // --- worker ----------------------------------------------------------------

    void run();
    void do_read(std::unique_lock<std::mutex>& lock);
    void do_writes(std::unique_lock<std::mutex>& lock);
    void do_housekeeping(std::unique_lock<std::mutex>& lock, Clock::time_point now);
    void do_save(std::unique_lock<std::mutex>& lock);
    void drain_on_shutdown(std::unique_lock<std::mutex>& lock);

    // Device access; the mutex is NOT held while the device works.
    Result<void> ensure_session(std::unique_lock<std::mutex>& lock, Deadline deadline);
    PortsResult device_read(std::unique_lock<std::mutex>& lock, Deadline deadline);
    Result<void> device_write(std::unique_lock<std::mutex>& lock, const std::vector<PortChange>& changes,
                              Deadline deadline);
    template <typename Op>
    auto with_device(std::unique_lock<std::mutex>& lock, Deadline deadline, Op&& op) -> decltype(op());
    void record_op(ErrorCode* failure, Clock::duration took);
    bool still_settling(Clock::time_point now);
    void note_failure(const Error& error);

    // Answers at once with cancelled/busy when the request cannot be queued.
    template <typename T>
    bool refuse_if_full(Pending<T>& pending) const {
        if (stopping) {
            pending.complete(
                make_error(ErrorCode::cancelled, "switch \"" + id + "\" controller is shutting down"));
            return true;
        }
        if (queued() >= options.max_queue) {
            pending.complete(make_error(
                ErrorCode::busy,
                "switch \"" + id + "\": too many requests waiting (" + std::to_string(queued()) + ")"));
            return true;
        }
        return false;
    }

    // Hands a read result to waiters (mutex held on entry, released for callbacks).
    static void deliver(std::vector<ReadWaiter>& waiters, const PortsResult& result, const std::string& id);
};

// ----------------------------------------------------------------------------
// Session management: login budget, circuit breaker, reconnect.

void SwitchController::Impl::note_failure(const Error& error) {
    if (!counts_against_switch(error.code)) {
        return;
    }
    ++consecutive_failures;
    last_failure = std::string(to_string(error.code)) + ": " + error.message;
    if (consecutive_failures >= std::max(1U, options.failures_before_open)) {
        backoff = backoff.count() == 0 ? options.backoff_initial : std::min(backoff * 2, options.backoff_max);
        circuit_open_until = Clock::now() + backoff;
        detail::log(LogLevel::warn, "switch ", id, ": marked down for ", backoff.count(), " ms after ",
                    consecutive_failures, " failures (", last_failure, ")");
    }
}

Result<void> SwitchController::Impl::ensure_session(std::unique_lock<std::mutex>& lock, Deadline deadline) {
    const auto now = Clock::now();
    if (now < circuit_open_until) {
        const auto left = std::chrono::duration_cast<milliseconds>(circuit_open_until - now);
        return make_error(ErrorCode::unavailable, "switch \"" + id + "\" is down (" + last_failure +
                                                      "); next attempt in " + std::to_string(left.count()) +
                                                      " ms");
    }
    if (driver->connected()) {
        return success();
    }
    while (!login_times.empty() && now - login_times.front() >= std::chrono::minutes{1}) {
        login_times.pop_front();
    }
    if (options.max_logins_per_minute > 0 && login_times.size() >= options.max_logins_per_minute) {
        return make_error(ErrorCode::busy, "switch \"" + id + "\": login budget of " +
                                               std::to_string(options.max_logins_per_minute) +
                                               " per minute is spent");
    }
    login_times.push_back(now);
    lock.unlock();
    const auto started = Clock::now();
    auto connected = driver->connect(deadline);
    const auto took = Clock::now() - started;
    lock.lock();
    if (!connected) {
        ++stats.login_failures;
        ErrorCode code = connected.error().code;
        record_op(&code, took);
        note_failure(connected.error());
        detail::log(LogLevel::warn, "switch ", id, ": login failed: ", connected.error().message);
        return connected;
    }
    record_op(nullptr, took);
    if (stats.logins > 0) {
        ++stats.reconnects;
    }
    ++stats.logins;
    detail::log(LogLevel::info, "switch ", id, ": session open (login ", stats.logins, ")");
    return success();
}

void SwitchController::Impl::record_op(ErrorCode* failure, Clock::duration took) {
    ++stats.device_op_count;
    stats.device_op_seconds += std::chrono::duration<double>(took).count();
    if (failure != nullptr) {
        ++stats.errors[*failure];
    }
}

// Runs `op` (a device call) with the session open; retries once on a fresh
// session when the old one turns out to be dead, since reads and admin
// writes are both idempotent.
template <typename Op>
auto SwitchController::Impl::with_device(std::unique_lock<std::mutex>& lock, Deadline deadline, Op&& op)
    -> decltype(op()) {
    Impl& self = *this;
    for (int attempt = 0;; ++attempt) {
        if (auto session = self.ensure_session(lock, deadline); !session) {
            return std::move(session).error();
        }
        lock.unlock();
        const auto started = Clock::now();
        auto result = op();
        const auto took = Clock::now() - started;
        lock.lock();
        self.last_io = Clock::now();
        if (result) {
            self.record_op(nullptr, took);
            self.consecutive_failures = 0;
            self.backoff = milliseconds{0};
            return result;
        }
        ErrorCode code = result.error().code;
        self.record_op(&code, took);
        const bool retry = attempt == 0 && code == ErrorCode::connection_lost && Clock::now() < deadline;
        if (!retry) {
            self.note_failure(result.error());
            return result;
        }
        detail::log(LogLevel::info, "switch ", self.id, ": session lost (", result.error().message,
                    "), retrying on a new one");
    }
}

PortsResult SwitchController::Impl::device_read(std::unique_lock<std::mutex>& lock, Deadline deadline) {
    auto result = with_device(lock, deadline, [&] { return driver->read_ports(deadline); });
    ++stats.device_reads;
    if (result) {
        last_ports = result.value();
        last_ports_at = Clock::now();
        cache_valid = !still_settling(last_ports_at);
    }
    return result;
}

Result<void> SwitchController::Impl::device_write(std::unique_lock<std::mutex>& lock,
                                                  const std::vector<PortChange>& changes, Deadline deadline) {
    cache_valid = false;
    ++stats.device_writes;
    auto written = with_device(lock, deadline, [&] { return driver->set_admin(changes, deadline); });
    if (written) {
        const auto now = Clock::now();
        for (const auto& change : changes) {
            if (change.setting.mode == AdminMode::never) {
                settling.erase(change.port);
            } else {
                settling[change.port] = now + settle_window;
            }
        }
    }
    if (written && options.save_after_changes.count() > 0 && driver->capabilities().save_config) {
        save_due = Clock::now() + options.save_after_changes;
    }
    return written;
}

bool SwitchController::Impl::still_settling(Clock::time_point now) {
    std::erase_if(settling, [&](const auto& entry) {
        const auto& [port, give_up_at] = entry;
        if (now >= give_up_at) {
            return true;  // nothing detected in time: an empty port, cache it again
        }
        const PortStatus* status = find_port(*last_ports, port);
        return status == nullptr || !status->admin_enabled() || status->oper != OperState::off;
    });
    return !settling.empty();
}

// ----------------------------------------------------------------------------
// Reads

void SwitchController::Impl::deliver(std::vector<ReadWaiter>& waiters, const PortsResult& result,
                                     const std::string& id) {
    for (auto& waiter : waiters) {
        if (waiter.all) {
            waiter.all->complete(result);
            continue;
        }
        if (!result) {
            waiter.one->complete(result.error());
        } else if (const PortStatus* port = find_port(result.value(), *waiter.port)) {
            waiter.one->complete(*port);
        } else {
            waiter.one->complete(unknown_port_error(id, *waiter.port));
        }
    }
}

void SwitchController::Impl::do_read(std::unique_lock<std::mutex>& lock) {
    running_read.swap(next_read);
    next_read.clear();
    std::erase_if(running_read, [](const ReadWaiter& w) { return w.done(); });
    if (running_read.empty()) {
        return;
    }
    // The read serves everybody attached, so it may take as long as the most
    // patient of them allows; the impatient ones are answered by their timers.
    Deadline deadline = running_read.front().deadline();
    for (const auto& waiter : running_read) {
        deadline = std::max(deadline, waiter.deadline());
    }
    stats.coalesced_reads += running_read.size() - 1;
    read_in_progress = true;
    running_read_deadline = deadline;
    auto result = device_read(lock, deadline);
    read_in_progress = false;
    std::vector<ReadWaiter> waiters;
    waiters.swap(running_read);
    lock.unlock();
    deliver(waiters, result, id);
    lock.lock();
}

// ----------------------------------------------------------------------------
// Writes: up to one job per port per batch, one set_admin for the batch, one
// read-back to verify all of it.

void SwitchController::Impl::do_writes(std::unique_lock<std::mutex>& lock) {
    const auto now = Clock::now();
    std::vector<PowerJob> batch;
    std::set<std::string> ports_in_batch;
    for (auto it = writes.begin(); it != writes.end();) {
        if (it->pending->done()) {
            it = writes.erase(it);
        } else if (ports_in_batch.insert(it->port).second) {
            batch.push_back(std::move(*it));
            it = writes.erase(it);
        } else {
            ++it;
        }
    }
    while (!scheduled.empty() && scheduled.begin()->first <= now) {
        auto node = scheduled.extract(scheduled.begin());
        if (ports_in_batch.insert(node.mapped().port).second) {
            batch.push_back(std::move(node.mapped()));
        } else {
            scheduled.insert(std::move(node));  // run it next round, after this port's other job
            break;
        }
    }
    if (batch.empty()) {
        return;
    }
    Deadline deadline = batch.front().deadline;
    for (const auto& job : batch) {
        deadline = std::max(deadline, job.deadline);
    }

    std::vector<std::pair<PowerJob*, Result<PowerOutcome>>> finished;
    auto fail_all = [&](const Error& error) {
        for (auto& job : batch) {
            finished.emplace_back(&job, error);
        }
    };

    // Current state: cache if fresh, else one read (which also serves readers).
    PortsResult current =
        cache_fresh(now) ? PortsResult(*last_ports) : PortsResult(std::vector<PortStatus>{});
    if (cache_fresh(now)) {
        ++stats.cache_hits;
    } else {
        running_read.swap(next_read);
        next_read.clear();
        std::erase_if(running_read, [](const ReadWaiter& w) { return w.done(); });
        Deadline read_deadline = deadline;
        for (const auto& waiter : running_read) {
            read_deadline = std::max(read_deadline, waiter.deadline());
        }
        stats.coalesced_reads += running_read.size();
        read_in_progress = true;
        running_read_deadline = read_deadline;
        current = device_read(lock, read_deadline);
        read_in_progress = false;
        std::vector<ReadWaiter> waiters;
        waiters.swap(running_read);
        lock.unlock();
        deliver(waiters, current, id);
        lock.lock();
    }

    // Callers who gave up while the device was busy get no change they were
    // told failed. A cycle's on-half is exempt: it must always run.
    std::erase_if(batch, [](const PowerJob& job) { return job.pending->done() && !job.cycle_on_half; });

    struct Plan {
        PowerJob* job;
        PortStatus before;
        std::optional<AdminSetting> target;  // nullopt: nothing to write
        bool schedule_on{false};             // cycle: off now, on after the dwell
    };
    std::vector<Plan> plans;
    std::vector<PortChange> changes;
    if (!current) {
        fail_all(current.error());
    } else {
        for (auto& job : batch) {
            const PortStatus* port = find_port(current.value(), job.port);
            if (port == nullptr) {
                finished.emplace_back(&job, unknown_port_error(id, job.port));
                continue;
            }
            Plan plan{&job, *port, std::nullopt};
            const AdminSetting on = job.options.on_setting;
            const OnWhenOn on_when_on = job.options.on_when_on.value_or(options.on_when_on);
            PowerAction action = job.action;
            if (action == PowerAction::on && port->admin_enabled() && on_when_on == OnWhenOn::cycle &&
                !job.cycle_on_half) {
                action = PowerAction::cycle;
            }
            switch (action) {
                case PowerAction::on:
                    if (!port->admin_enabled()) {
                        plan.target = on;
                    }
                    break;
                case PowerAction::off:
                    if (port->admin_enabled()) {
                        plan.target = AdminSetting{AdminMode::never, std::nullopt};
                    }
                    break;
                case PowerAction::cycle:
                    if (port->admin_enabled()) {
                        plan.target = AdminSetting{AdminMode::never, std::nullopt};
                        plan.schedule_on = true;
                    } else {
                        plan.target = on;  // already off: the dwell has happened
                    }
                    break;
            }
            if (plan.target) {
                changes.push_back(PortChange{job.port, *plan.target});
            } else {
                ++stats.writes_skipped;
            }
            plans.push_back(plan);
        }
    }

    std::optional<std::vector<PortStatus>> after;
    if (!changes.empty()) {
        auto written = device_write(lock, changes, deadline);
        if (!written) {
            for (const auto& plan : plans) {
                finished.emplace_back(
                    plan.job, plan.target ? written.error()
                                          : Result<PowerOutcome>(PowerOutcome{plan.before, plan.before}));
            }
            plans.clear();
        } else if (options.verify_writes) {
            auto readback = device_read(lock, deadline);
            if (!readback) {
                for (const auto& plan : plans) {
                    finished.emplace_back(plan.job, readback.error());
                }
                plans.clear();
            } else {
                after = std::move(readback).value();
            }
        }
    } else if (current) {
        after = current.value();
    }

    for (const auto& plan : plans) {
        PowerJob& job = *plan.job;
        PortStatus state = plan.before;
        if (after) {
            if (const PortStatus* port = find_port(*after, job.port)) {
                state = *port;
            }
        } else if (plan.target) {
            state.admin = plan.target->mode;  // written, not verified
        }
        if (plan.target && options.verify_writes &&
            (state.admin_enabled() != (plan.target->mode != AdminMode::never))) {
            finished.emplace_back(
                &job, make_error(ErrorCode::device_rejected, "switch \"" + id + "\" accepted the change of " +
                                                                 job.port + " but it still shows admin " +
                                                                 std::string(to_string(state.admin))));
            continue;
        }
        const PortStatus& before = job.cycle_on_half ? job.before : plan.before;
        if (plan.schedule_on) {
            // Off is done; the on-half must run even if the caller gives up,
            // or the machine would stay off.
            const milliseconds dwell = job.options.cycle_dwell.value_or(options.cycle_dwell);
            const auto at = Clock::now() + dwell;
            PowerJob on_half = job;
            on_half.action = PowerAction::on;
            on_half.cycle_on_half = true;
            on_half.before = before;
            on_half.deadline = std::max(job.deadline, at + std::chrono::seconds{30});
            detail::log(LogLevel::info, "switch ", id, ": ", job.port, " off, on again in ", dwell.count(),
                        " ms");
            scheduled.emplace(at, std::move(on_half));
            continue;
        }
        PowerOutcome outcome{before, state, plan.target.has_value() || job.cycle_on_half, job.cycle_on_half};
        if (plan.target) {
            detail::log(LogLevel::info, "switch ", id, ": ", job.port, " admin ",
                        to_string(plan.before.admin), " -> ", to_string(state.admin));
        }
        finished.emplace_back(&job, std::move(outcome));
    }

    lock.unlock();
    for (auto& [job, result] : finished) {
        job->pending->complete(std::move(result));
    }
    lock.lock();
}

// ----------------------------------------------------------------------------
// Keepalive and idle close

void SwitchController::Impl::do_housekeeping(std::unique_lock<std::mutex>& lock, Clock::time_point now) {
    if (!driver->connected()) {
        return;
    }
    if (options.idle_disconnect.count() > 0 && now - last_request >= options.idle_disconnect) {
        detail::log(LogLevel::info, "switch ", id, ": closing idle session");
        lock.unlock();
        driver->disconnect();
        lock.lock();
        return;
    }
    if (options.keepalive_interval.count() > 0 && now - last_io >= options.keepalive_interval) {
        ++stats.keepalives;
        const Deadline deadline = Clock::now() + std::chrono::seconds{10};
        auto pinged = with_device(lock, deadline, [&] { return driver->ping(deadline); });
        if (!pinged) {
            detail::log(LogLevel::warn, "switch ", id, ": keepalive failed: ", pinged.error().message);
            last_io = Clock::now();
        }
    }
}

void SwitchController::Impl::do_save(std::unique_lock<std::mutex>& lock) {
    std::vector<std::shared_ptr<Pending<void>>> waiting(saves.begin(), saves.end());
    saves.clear();
    std::erase_if(waiting, [](const auto& p) { return p->done(); });
    Deadline deadline = Clock::now() + options.save_timeout;
    for (const auto& p : waiting) {
        deadline = std::max(deadline, p->deadline());
    }
    save_due.reset();
    auto saved = with_device(lock, deadline, [&] { return driver->save_config(deadline); });
    if (saved) {
        ++stats.saves;
        detail::log(LogLevel::info, "switch ", id, ": configuration saved");
    } else {
        detail::log(LogLevel::error, "switch ", id,
                    ": saving the configuration failed: ", saved.error().message);
    }
    lock.unlock();
    for (const auto& p : waiting) {
        p->complete(saved);
    }
    lock.lock();
}

void SwitchController::Impl::run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
        const auto now = Clock::now();
        if (!has_work(now)) {
            Clock::time_point wake_at = Clock::time_point::max();
            if (!scheduled.empty()) {
                wake_at = scheduled.begin()->first;
            }
            if (save_due) {
                wake_at = std::min(wake_at, *save_due);
            }
            if (driver->connected()) {
                if (options.keepalive_interval.count() > 0) {
                    wake_at = std::min(wake_at, last_io + options.keepalive_interval);
                }
                if (options.idle_disconnect.count() > 0) {
                    wake_at = std::min(wake_at, last_request + options.idle_disconnect);
                }
            }
            if (wake_at <= now) {
                do_housekeeping(lock, now);
                continue;
            }
            if (wake_at == Clock::time_point::max()) {
                wake.wait(lock);
            } else {
                wake.wait_until(lock, wake_at);
            }
            continue;
        }
        if (!saves.empty() || (save_due && *save_due <= now && writes.empty() && next_read.empty())) {
            last_request = now;
            do_save(lock);
            continue;
        }
        last_request = now;
        // Alternate between reads and writes so neither starves the other.
        const bool writes_ready = !writes.empty() || (!scheduled.empty() && scheduled.begin()->first <= now);
        if (writes_ready && (next_read.empty() || !last_was_write)) {
            last_was_write = true;
            do_writes(lock);
        } else {
            last_was_write = false;
            do_read(lock);
        }
    }
    drain_on_shutdown(lock);
}

void SwitchController::Impl::drain_on_shutdown(std::unique_lock<std::mutex>& lock) {
    // A cycle in its dwell has switched a port off: switch it back on now
    // rather than leave the machine off.
    std::vector<PortChange> restore;
    for (auto& [at, job] : scheduled) {
        restore.push_back(PortChange{job.port, job.options.on_setting});
    }
    if (!restore.empty() && Clock::now() >= circuit_open_until) {
        detail::log(LogLevel::warn, "switch ", id, ": shutting down during a power cycle; powering ",
                    restore.size(), " port(s) back on");
        auto restored = device_write(lock, restore, Clock::now() + std::chrono::seconds{10});
        if (!restored) {
            detail::log(LogLevel::error, "switch ", id,
                        ": could not power ports back on: ", restored.error().message);
        }
    }
    std::vector<ReadWaiter> readers;
    readers.swap(next_read);
    std::vector<PowerJob> jobs(std::make_move_iterator(writes.begin()),
                               std::make_move_iterator(writes.end()));
    writes.clear();
    for (auto& [at, job] : scheduled) {
        jobs.push_back(std::move(job));
    }
    scheduled.clear();
    std::vector<std::shared_ptr<Pending<void>>> save_waiters(saves.begin(), saves.end());
    saves.clear();
    lock.unlock();
    const Error cancelled =
        make_error(ErrorCode::cancelled, "switch \"" + id + "\" controller is shutting down");
    deliver(readers, cancelled, id);
    for (auto& job : jobs) {
        job.pending->complete(cancelled);
    }
    for (auto& waiter : save_waiters) {
        waiter->complete(cancelled);
    }
    driver->disconnect();
    lock.lock();
}

// ----------------------------------------------------------------------------
// Public API

SwitchController::SwitchController(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
}

Result<std::unique_ptr<SwitchController>> SwitchController::create(std::string id,
                                                                   std::unique_ptr<Driver> driver,
                                                                   ControllerOptions options) {
    if (id.empty()) {
        return make_error(ErrorCode::invalid_argument, "switch id must not be empty");
    }
    if (!driver) {
        return make_error(ErrorCode::invalid_argument, "switch \"" + id + "\": no driver");
    }
    if (options.cache_ttl.count() < 0 || options.cycle_dwell.count() < 0 ||
        options.keepalive_interval.count() < 0 || options.idle_disconnect.count() < 0 ||
        options.backoff_initial.count() <= 0 || options.backoff_max < options.backoff_initial ||
        options.max_queue == 0) {
        return make_error(ErrorCode::invalid_argument, "switch \"" + id + "\": invalid controller options");
    }
    auto impl = std::make_unique<Impl>(std::move(id), std::move(driver), options);
    Impl* raw = impl.get();
    impl->worker = std::thread([raw] { raw->run(); });
    return std::unique_ptr<SwitchController>(new SwitchController(std::move(impl)));
}

SwitchController::~SwitchController() {
    {
        const std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    if (impl_->worker.joinable()) {
        impl_->worker.join();
    }
}

const std::string& SwitchController::id() const noexcept {
    return impl_->id;
}

const ControllerOptions& SwitchController::options() const noexcept {
    return impl_->options;
}

Result<std::string> SwitchController::normalize_port(std::string_view name) const {
    return impl_->driver->normalize_port(name);
}

void SwitchController::async_status(std::string port, Deadline deadline, Callback<PortStatus> done) {
    auto name = normalize_port(port);
    if (!name) {
        done(std::move(name).error());
        return;
    }
    std::unique_lock lock(impl_->mutex);
    if (impl_->cache_fresh(Clock::now())) {
        ++impl_->stats.cache_hits;
        const PortStatus* found = find_port(*impl_->last_ports, *name);
        Result<PortStatus> result = found ? Result<PortStatus>(*found) : unknown_port_error(impl_->id, *name);
        lock.unlock();
        done(std::move(result));
        return;
    }
    ++impl_->stats.cache_misses;
    auto pending = Pending<PortStatus>::start(std::move(done), deadline, "status of " + *name);
    if (impl_->refuse_if_full(*pending)) {
        return;
    }
    ReadWaiter waiter{std::move(name).value(), pending, nullptr};
    if (impl_->can_join_running_read(deadline)) {
        ++impl_->stats.coalesced_reads;
        impl_->running_read.push_back(std::move(waiter));
        return;
    }
    impl_->next_read.push_back(std::move(waiter));
    lock.unlock();
    impl_->wake.notify_one();
}

void SwitchController::async_status_all(Deadline deadline, Callback<std::vector<PortStatus>> done) {
    std::unique_lock lock(impl_->mutex);
    if (impl_->cache_fresh(Clock::now())) {
        ++impl_->stats.cache_hits;
        auto ports = *impl_->last_ports;
        lock.unlock();
        done(std::move(ports));
        return;
    }
    ++impl_->stats.cache_misses;
    auto pending = Pending<std::vector<PortStatus>>::start(std::move(done), deadline, "status of all ports");
    if (impl_->refuse_if_full(*pending)) {
        return;
    }
    ReadWaiter waiter{std::nullopt, nullptr, pending};
    if (impl_->can_join_running_read(deadline)) {
        ++impl_->stats.coalesced_reads;
        impl_->running_read.push_back(std::move(waiter));
        return;
    }
    impl_->next_read.push_back(std::move(waiter));
    lock.unlock();
    impl_->wake.notify_one();
}

void SwitchController::async_power(std::string port, PowerAction action, Deadline deadline,
                                   Callback<PowerOutcome> done, PowerOptions power_options) {
    auto name = normalize_port(port);
    if (!name) {
        done(std::move(name).error());
        return;
    }
    if (power_options.on_setting.mode == AdminMode::never) {
        done(make_error(ErrorCode::invalid_argument, "the \"on\" setting cannot be never"));
        return;
    }
    std::unique_lock lock(impl_->mutex);
    auto pending = Pending<PowerOutcome>::start(std::move(done), deadline,
                                                std::string(to_string(action)) + " of " + *name);
    if (impl_->refuse_if_full(*pending)) {
        return;
    }
    PowerJob job;
    job.port = std::move(name).value();
    job.action = action;
    job.options = std::move(power_options);
    job.pending = std::move(pending);
    job.deadline = deadline;
    impl_->writes.push_back(std::move(job));
    lock.unlock();
    impl_->wake.notify_one();
}

namespace {

// Blocking wrapper: the callback is guaranteed by the deadline timer, the
// extra second only guards against a bug turning into a hang.
template <typename T, typename Start>
Result<T> wait_for(Deadline deadline, Start&& start) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    start([promise](Result<T> result) { promise->set_value(std::move(result)); });
    if (future.wait_until(deadline + std::chrono::seconds{1}) != std::future_status::ready) {
        return make_error(ErrorCode::timeout, "deadline passed");
    }
    return future.get();
}

}  // namespace

Result<PortStatus> SwitchController::status(std::string_view port, Deadline deadline) {
    return wait_for<PortStatus>(
        deadline, [&](Callback<PortStatus> cb) { async_status(std::string(port), deadline, std::move(cb)); });
}

Result<std::vector<PortStatus>> SwitchController::status_all(Deadline deadline) {
    return wait_for<std::vector<PortStatus>>(
        deadline, [&](Callback<std::vector<PortStatus>> cb) { async_status_all(deadline, std::move(cb)); });
}

Result<PowerOutcome> SwitchController::power(std::string_view port, PowerAction action, Deadline deadline,
                                             PowerOptions power_options) {
    return wait_for<PowerOutcome>(deadline, [&](Callback<PowerOutcome> cb) {
        async_power(std::string(port), action, deadline, std::move(cb), std::move(power_options));
    });
}

void SwitchController::async_save_config(Deadline deadline, Callback<void> done) {
    if (!impl_->driver->capabilities().save_config) {
        done(make_error(ErrorCode::unsupported,
                        "switch \"" + impl_->id + "\": driver cannot save the configuration"));
        return;
    }
    std::unique_lock lock(impl_->mutex);
    auto pending = Pending<void>::start(std::move(done), deadline, "saving the configuration");
    if (impl_->refuse_if_full(*pending)) {
        return;
    }
    impl_->saves.push_back(std::move(pending));
    lock.unlock();
    impl_->wake.notify_one();
}

Result<void> SwitchController::save_config(Deadline deadline) {
    return wait_for<void>(deadline, [&](Callback<void> cb) { async_save_config(deadline, std::move(cb)); });
}

ControllerStats SwitchController::stats() const {
    const std::lock_guard lock(impl_->mutex);
    ControllerStats out = impl_->stats;
    out.connected = impl_->driver->connected();
    out.circuit_open = Clock::now() < impl_->circuit_open_until;
    out.queued = impl_->queued();
    return out;
}

std::optional<std::pair<std::vector<PortStatus>, std::chrono::milliseconds>> SwitchController::last_read()
    const {
    const std::lock_guard lock(impl_->mutex);
    if (!impl_->last_ports) {
        return std::nullopt;
    }
    return std::make_pair(*impl_->last_ports,
                          std::chrono::duration_cast<milliseconds>(Clock::now() - impl_->last_ports_at));
}

}  // namespace poe

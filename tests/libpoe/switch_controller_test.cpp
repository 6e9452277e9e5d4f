// SPDX-License-Identifier: Apache-2.0
#include <poe/switch_controller.hpp>

#include "fake/fake_driver.hpp"
#include "fake/fake_switch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

namespace {

using namespace std::chrono_literals;
using poe::ErrorCode;
using poe::PowerAction;
using poe::fake::FakeSwitch;
using poe::fake::Operation;
using ::testing::HasSubstr;

std::vector<std::string> ports(int count) {
    std::vector<std::string> names;
    for (int i = 1; i <= count; ++i) {
        names.push_back("Gi1/0/" + std::to_string(i));
    }
    return names;
}

struct Rig {
    explicit Rig(poe::ControllerOptions options = {}, poe::fake::FakeSwitchOptions device_options = {},
                 int port_count = 8)
        : device(std::make_shared<FakeSwitch>(ports(port_count), device_options)) {
        auto created =
            poe::SwitchController::create("sw1", std::make_unique<poe::fake::FakeDriver>(device), options);
        EXPECT_TRUE(created.ok());
        controller = std::move(created).value();
    }
    std::shared_ptr<FakeSwitch> device;
    std::unique_ptr<poe::SwitchController> controller;
};

poe::ControllerOptions no_cache() {
    poe::ControllerOptions options;
    options.cache_ttl = 0ms;
    return options;
}

TEST(SwitchController, ConcurrentReadsOfDifferentPortsShareOneDeviceRead) {
    Rig rig(no_cache(), {.latency = 300ms});
    constexpr int callers = 24;
    std::vector<std::future<poe::Result<poe::PortStatus>>> answers;
    std::latch ready(callers);
    for (int i = 0; i < callers; ++i) {
        answers.push_back(std::async(std::launch::async, [&, i] {
            ready.arrive_and_wait();
            return rig.controller->status("Gi1/0/" + std::to_string(i % 8 + 1), poe::deadline_in(5s));
        }));
    }
    for (int i = 0; i < callers; ++i) {
        auto answer = answers[static_cast<size_t>(i)].get();
        ASSERT_TRUE(answer.ok()) << answer.error().message;
        EXPECT_EQ(answer->name, "Gi1/0/" + std::to_string(i % 8 + 1));
    }
    EXPECT_EQ(rig.device->counters().reads, 1U);
    EXPECT_EQ(rig.controller->stats().coalesced_reads, callers - 1U);
    EXPECT_EQ(rig.device->counters().connects, 1U);
}

TEST(SwitchController, CachedReadsDoNotTouchTheDeviceUntilTheTtlPasses) {
    poe::ControllerOptions options;
    options.cache_ttl = 1h;
    Rig rig(options);
    ASSERT_TRUE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
    ASSERT_TRUE(rig.controller->status("Gi1/0/2", poe::deadline_in(1s)).ok());
    ASSERT_TRUE(rig.controller->status_all(poe::deadline_in(1s)).ok());
    EXPECT_EQ(rig.device->counters().reads, 1U);
    EXPECT_EQ(rig.controller->stats().cache_hits, 2U);
}

TEST(SwitchController, AWriteInvalidatesTheCacheSoTheNextQueryShowsTheNewState) {
    poe::ControllerOptions options;
    options.cache_ttl = 1h;
    options.verify_writes = false;
    Rig rig(options);
    ASSERT_EQ(rig.controller->status("Gi1/0/3", poe::deadline_in(1s))->admin, poe::AdminMode::automatic);
    ASSERT_TRUE(rig.controller->power("Gi1/0/3", PowerAction::off, poe::deadline_in(1s)).ok());
    auto after = rig.controller->status("Gi1/0/3", poe::deadline_in(1s));
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->admin, poe::AdminMode::never);
    EXPECT_EQ(after->oper, poe::OperState::off);
}

TEST(SwitchController, PowerOnOfAPortThatIsOnDoesNotWriteTheDevice) {
    Rig rig(no_cache());
    auto outcome = rig.controller->power("Gi1/0/1", PowerAction::on, poe::deadline_in(1s));
    ASSERT_TRUE(outcome.ok());
    EXPECT_FALSE(outcome->changed);
    EXPECT_EQ(rig.device->counters().writes, 0U);
    EXPECT_EQ(rig.controller->stats().writes_skipped, 1U);
}

TEST(SwitchController, RepeatedOffWritesOnceAndVerifies) {
    Rig rig(no_cache());
    auto first = rig.controller->power("gi1/0/2", PowerAction::off, poe::deadline_in(1s));
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_TRUE(first->changed);
    EXPECT_EQ(first->before.admin, poe::AdminMode::automatic);
    EXPECT_EQ(first->after.admin, poe::AdminMode::never);
    auto second = rig.controller->power("Gi1/0/2", PowerAction::off, poe::deadline_in(1s));
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second->changed);
    EXPECT_EQ(rig.device->counters().writes, 1U);
    // read before, read-back after the write, read before the second request
    EXPECT_EQ(rig.device->counters().reads, 3U);
}

TEST(SwitchController, ExternalChangesAreSeenOnceTheCacheExpires) {
    Rig rig(no_cache());
    rig.device->set_admin_externally("Gi1/0/4", {poe::AdminMode::never, std::nullopt});
    auto outcome = rig.controller->power("Gi1/0/4", PowerAction::on, poe::deadline_in(1s));
    ASSERT_TRUE(outcome.ok());
    EXPECT_TRUE(outcome->changed);
    EXPECT_EQ(outcome->after.admin, poe::AdminMode::automatic);
}

TEST(SwitchController, OnUsesTheRequestedStaticSetting) {
    Rig rig(no_cache(), {.initially_on = false});
    poe::PowerOptions options;
    options.on_setting = {poe::AdminMode::static_power, 15400};
    auto outcome = rig.controller->power("Gi1/0/1", PowerAction::on, poe::deadline_in(1s), options);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->after.admin, poe::AdminMode::static_power);
    ASSERT_TRUE(outcome->after.max_watts.has_value());
    EXPECT_DOUBLE_EQ(*outcome->after.max_watts, 15.4);
}

TEST(SwitchController, UnknownAndMalformedPortsAreDistinctErrors) {
    Rig rig;
    auto unknown = rig.controller->status("Gi1/0/48", poe::deadline_in(1s));
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, ErrorCode::unknown_port);
    EXPECT_THAT(unknown.error().message, HasSubstr("Gi1/0/48"));
    auto malformed = rig.controller->power("not a port", PowerAction::on, poe::deadline_in(1s));
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(rig.device->counters().writes, 0U);
}

TEST(SwitchController, DeviceAccessIsNeverInterleaved) {
    Rig rig(no_cache(), {.latency = 1ms});
    constexpr int workers = 8;
    std::latch ready(workers);
    std::vector<std::thread> threads;
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            std::mt19937 rng(static_cast<unsigned>(w));
            ready.arrive_and_wait();
            for (int i = 0; i < 25; ++i) {
                const std::string port = "Gi1/0/" + std::to_string(rng() % 8 + 1);
                const auto roll = rng() % 3;
                poe::Result<void> ok = poe::success();
                if (roll == 0) {
                    auto r = rig.controller->status(port, poe::deadline_in(10s));
                    ok = r ? poe::success() : poe::Result<void>(r.error());
                } else {
                    auto r = rig.controller->power(port, roll == 1 ? PowerAction::on : PowerAction::off,
                                                   poe::deadline_in(10s));
                    ok = r ? poe::success() : poe::Result<void>(r.error());
                }
                if (!ok) {
                    const std::lock_guard lock(failures_mutex);
                    failures.push_back(ok.error().message);
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_THAT(failures, ::testing::IsEmpty());
    EXPECT_EQ(rig.device->counters().interleavings, 0U);
    EXPECT_EQ(rig.device->counters().connects, 1U);
}

TEST(SwitchController, ConcurrentWritesToDifferentPortsAreBatched) {
    Rig rig(no_cache(), {.latency = 200ms});
    // Occupy the device so the next writes queue up behind this read.
    std::promise<void> first_read_done;
    rig.controller->async_status_all(poe::deadline_in(5s), [&](auto) { first_read_done.set_value(); });
    std::vector<std::future<poe::Result<poe::PowerOutcome>>> offs;
    for (int i = 1; i <= 6; ++i) {
        offs.push_back(std::async(std::launch::async, [&, i] {
            return rig.controller->power("Gi1/0/" + std::to_string(i), PowerAction::off,
                                         poe::deadline_in(5s));
        }));
    }
    for (auto& f : offs) {
        auto outcome = f.get();
        ASSERT_TRUE(outcome.ok()) << outcome.error().message;
        EXPECT_TRUE(outcome->changed);
    }
    first_read_done.get_future().wait();
    EXPECT_EQ(rig.device->counters().port_changes, 6U);
    EXPECT_LE(rig.device->counters().writes, 2U);
}

TEST(SwitchController, HungDeviceCostsOneDeadlineThenANewSessionWorks) {
    Rig rig(no_cache());
    ASSERT_TRUE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
    rig.device->hang_next(Operation::read);
    const auto started = poe::Clock::now();
    auto hung = rig.controller->status("Gi1/0/1", poe::deadline_in(200ms));
    ASSERT_FALSE(hung.ok());
    EXPECT_EQ(hung.error().code, ErrorCode::timeout);
    EXPECT_LT(poe::Clock::now() - started, 2s);
    auto next = rig.controller->status("Gi1/0/1", poe::deadline_in(2s));
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(rig.device->counters().connects, 2U);
    EXPECT_EQ(rig.controller->stats().reconnects, 1U);
}

TEST(SwitchController, APatientCallerDoesNotInheritTheTimeoutOfAnImpatientRead) {
    Rig rig(no_cache());
    ASSERT_TRUE(rig.controller->status("Gi1/0/1", poe::deadline_in(2s)).ok());
    rig.device->hang_next(Operation::read);
    std::promise<poe::Result<poe::PortStatus>> impatient;
    rig.controller->async_status("Gi1/0/1", poe::deadline_in(300ms),
                                 [&](auto r) { impatient.set_value(std::move(r)); });
    const auto give_up = poe::Clock::now() + 5s;
    while (!rig.device->busy() && poe::Clock::now() < give_up) {
        std::this_thread::sleep_for(1ms);
    }
    ASSERT_TRUE(rig.device->busy()) << "the hung read never started";
    // Arrives while the hung read runs with a 300 ms budget: it must get the
    // next read's answer, not that read's timeout.
    auto patient = rig.controller->status("Gi1/0/2", poe::deadline_in(10s));
    ASSERT_TRUE(patient.ok()) << patient.error().message;
    EXPECT_EQ(patient.value().name, "Gi1/0/2");
    EXPECT_EQ(impatient.get_future().get().error().code, ErrorCode::timeout);
}

TEST(SwitchController, APortComingUpIsReadFreshUntilItDeliversThenCachedAgain) {
    poe::ControllerOptions options;
    options.cache_ttl = 1h;
    Rig rig(options, {.detect_delay = 150ms});
    ASSERT_TRUE(rig.controller->power("Gi1/0/3", PowerAction::off, poe::deadline_in(2s)).ok());
    auto on = rig.controller->power("Gi1/0/3", PowerAction::on, poe::deadline_in(2s));
    ASSERT_TRUE(on.ok()) << on.error().message;
    // Polled the way MAAS does after "on": with an hour of cache the answer
    // must still change once the device draws power.
    std::optional<poe::PortStatus> seen;
    const auto give_up = poe::Clock::now() + 10s;
    while (poe::Clock::now() < give_up) {
        auto status = rig.controller->status("Gi1/0/3", poe::deadline_in(2s));
        ASSERT_TRUE(status.ok()) << status.error().message;
        if (status.value().oper == poe::OperState::on) {
            seen = status.value();
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(seen.has_value()) << "the port never showed as delivering";
    // Settled: the cache serves again.
    const auto reads = rig.device->counters().reads;
    ASSERT_TRUE(rig.controller->status("Gi1/0/3", poe::deadline_in(2s)).ok());
    ASSERT_TRUE(rig.controller->status("Gi1/0/4", poe::deadline_in(2s)).ok());
    EXPECT_EQ(rig.device->counters().reads, reads);
}

TEST(SwitchController, AQueuedCallerIsAnsweredAtItsOwnDeadlineWhileTheDeviceHangs) {
    Rig rig(no_cache());
    rig.device->hang_next(Operation::read);
    std::promise<poe::Result<std::vector<poe::PortStatus>>> slow;
    rig.controller->async_status_all(poe::deadline_in(3s), [&](auto r) { slow.set_value(std::move(r)); });
    // This one joins the hung read but is only willing to wait 100 ms.
    auto impatient = rig.controller->power("Gi1/0/1", PowerAction::off, poe::deadline_in(100ms));
    ASSERT_FALSE(impatient.ok());
    EXPECT_EQ(impatient.error().code, ErrorCode::timeout);
    auto slow_future = slow.get_future();
    EXPECT_EQ(slow_future.wait_for(0s), std::future_status::timeout)
        << "impatient caller waited for the hang";
    EXPECT_EQ(slow_future.get().error().code, ErrorCode::timeout);
    // The abandoned write was never sent.
    EXPECT_EQ(rig.device->counters().writes, 0U);
}

TEST(SwitchController, LostConnectionIsRetriedOnceOnAFreshSession) {
    Rig rig(no_cache());
    rig.device->fail_next(Operation::read, poe::make_error(ErrorCode::connection_lost, "peer closed"));
    auto status = rig.controller->status("Gi1/0/1", poe::deadline_in(1s));
    ASSERT_TRUE(status.ok()) << status.error().message;
    EXPECT_EQ(rig.device->counters().connects, 2U);
}

TEST(SwitchController, DeviceRejectionIsReportedWithTheDeviceText) {
    Rig rig(no_cache());
    rig.device->fail_next(Operation::write,
                          poe::make_error(ErrorCode::device_rejected, "switch refused", "% Invalid input"));
    auto outcome = rig.controller->power("Gi1/0/1", PowerAction::off, poe::deadline_in(1s));
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, ErrorCode::device_rejected);
    EXPECT_EQ(outcome.error().device_text, "% Invalid input");
    // A rejection is not a dead switch: the session stays and so does the port.
    EXPECT_EQ(rig.device->port("Gi1/0/1")->admin, poe::AdminMode::automatic);
    EXPECT_FALSE(rig.controller->stats().circuit_open);
}

TEST(SwitchController, ASwitchThatKeepsFailingIsMarkedDownAndFailsFast) {
    poe::ControllerOptions options = no_cache();
    options.failures_before_open = 2;
    options.backoff_initial = 1h;
    options.backoff_max = 1h;
    Rig rig(options);
    const auto refused = poe::make_error(ErrorCode::connect_failed, "connection refused");
    rig.device->fail_next(Operation::connect, refused, 2);
    EXPECT_EQ(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).error().code,
              ErrorCode::connect_failed);
    EXPECT_EQ(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).error().code,
              ErrorCode::connect_failed);
    auto fast = rig.controller->status("Gi1/0/1", poe::deadline_in(1s));
    ASSERT_FALSE(fast.ok());
    EXPECT_EQ(fast.error().code, ErrorCode::unavailable);
    EXPECT_THAT(fast.error().message, HasSubstr("connection refused"));
    EXPECT_TRUE(rig.controller->stats().circuit_open);
    EXPECT_EQ(rig.device->counters().connects, 0U);
}

TEST(SwitchController, TheCircuitClosesAgainAfterTheBackoff) {
    poe::ControllerOptions options = no_cache();
    options.failures_before_open = 1;
    options.backoff_initial = 50ms;
    Rig rig(options);
    rig.device->fail_next(Operation::connect, poe::make_error(ErrorCode::connect_failed, "refused"));
    EXPECT_FALSE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
    poe::Result<poe::PortStatus> later = poe::make_error(ErrorCode::internal, "not tried");
    const auto give_up = poe::deadline_in(5s);
    do {
        later = rig.controller->status("Gi1/0/1", poe::deadline_in(1s));
    } while (!later.ok() && later.error().code == ErrorCode::unavailable && poe::Clock::now() < give_up);
    ASSERT_TRUE(later.ok()) << later.error().message;
}

TEST(SwitchController, LoginBudgetLimitsReconnectStorms) {
    poe::ControllerOptions options = no_cache();
    options.max_logins_per_minute = 2;
    options.failures_before_open = 100;
    Rig rig(options);
    const auto lost = poe::make_error(ErrorCode::timeout, "no answer");
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
        rig.device->fail_next(Operation::read, lost);  // drops the session
        EXPECT_FALSE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
    }
    auto refused = rig.controller->status("Gi1/0/1", poe::deadline_in(1s));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::busy);
    EXPECT_THAT(refused.error().message, HasSubstr("login budget"));
    EXPECT_EQ(rig.device->counters().connects, 2U);
}

TEST(SwitchController, CycleTurnsOffWaitsAndTurnsOnWhileServingOthers) {
    poe::ControllerOptions options = no_cache();
    options.cycle_dwell = 400ms;
    Rig rig(options);
    std::promise<poe::Result<poe::PowerOutcome>> cycled;
    rig.controller->async_power("Gi1/0/1", PowerAction::cycle, poe::deadline_in(5s),
                                [&](auto r) { cycled.set_value(std::move(r)); });
    auto cycled_future = cycled.get_future();
    // During the dwell the port is off and other requests are answered.
    poe::Result<poe::PortStatus> during = poe::make_error(ErrorCode::internal, "not read");
    do {
        during = rig.controller->status("Gi1/0/1", poe::deadline_in(1s));
    } while (during.ok() && during->admin_enabled() &&
             cycled_future.wait_for(0s) == std::future_status::timeout);
    ASSERT_TRUE(during.ok());
    EXPECT_EQ(during->admin, poe::AdminMode::never);
    EXPECT_EQ(cycled_future.wait_for(0s), std::future_status::timeout) << "the on-half came before the dwell";
    auto outcome = cycled_future.get();
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_TRUE(outcome->cycled);
    EXPECT_EQ(outcome->before.admin, poe::AdminMode::automatic);
    EXPECT_EQ(outcome->after.admin, poe::AdminMode::automatic);
    EXPECT_EQ(rig.device->counters().port_changes, 2U);
}

TEST(SwitchController, CycleOfAPortThatIsOffJustTurnsItOn) {
    poe::ControllerOptions options = no_cache();
    options.cycle_dwell = 1h;
    Rig rig(options, {.initially_on = false});
    auto outcome = rig.controller->power("Gi1/0/1", PowerAction::cycle, poe::deadline_in(2s));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->after.admin, poe::AdminMode::automatic);
    EXPECT_EQ(rig.device->counters().port_changes, 1U);
}

TEST(SwitchController, OnWhenOnCyclePolicyCyclesARunningPort) {
    poe::ControllerOptions options = no_cache();
    options.on_when_on = poe::OnWhenOn::cycle;
    options.cycle_dwell = 10ms;
    Rig rig(options);
    auto outcome = rig.controller->power("Gi1/0/1", PowerAction::on, poe::deadline_in(2s));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_TRUE(outcome->cycled);
    EXPECT_EQ(rig.device->counters().port_changes, 2U);
}

TEST(SwitchController, ShutdownDuringACyclePowersThePortBackOn) {
    poe::ControllerOptions options = no_cache();
    options.cycle_dwell = 1h;
    Rig rig(options);
    std::promise<poe::Result<poe::PowerOutcome>> cycled;
    rig.controller->async_power("Gi1/0/5", PowerAction::cycle, poe::deadline_in(2h),
                                [&](auto r) { cycled.set_value(std::move(r)); });
    poe::Result<poe::PortStatus> during = poe::make_error(ErrorCode::internal, "not read");
    do {
        during = rig.controller->status("Gi1/0/5", poe::deadline_in(1s));
    } while (during.ok() && during->admin_enabled());
    rig.controller.reset();
    EXPECT_EQ(cycled.get_future().get().error().code, ErrorCode::cancelled);
    EXPECT_EQ(rig.device->port("Gi1/0/5")->admin, poe::AdminMode::automatic);
}

TEST(SwitchController, ChangesAreSavedOnceAfterABurst) {
    poe::ControllerOptions options = no_cache();
    options.save_after_changes = 150ms;
    Rig rig(options);
    for (int i = 1; i <= 3; ++i) {
        ASSERT_TRUE(
            rig.controller->power("Gi1/0/" + std::to_string(i), PowerAction::off, poe::deadline_in(1s)).ok());
    }
    EXPECT_EQ(rig.device->counters().saves, 0U);
    const auto give_up = poe::deadline_in(5s);
    while (rig.controller->stats().saves == 0 && poe::Clock::now() < give_up) {
        std::this_thread::sleep_for(10ms);  // polling an observable, not synchronising
    }
    EXPECT_EQ(rig.device->counters().saves, 1U);
}

TEST(SwitchController, ExplicitSaveGoesToTheDevice) {
    Rig rig;
    ASSERT_TRUE(rig.controller->save_config(poe::deadline_in(1s)).ok());
    EXPECT_EQ(rig.device->counters().saves, 1U);
}

TEST(SwitchController, FullQueueAnswersBusyImmediately) {
    poe::ControllerOptions options = no_cache();
    options.max_queue = 1;
    Rig rig(options);
    rig.device->hang_next(Operation::connect);
    std::promise<void> first;
    rig.controller->async_status_all(poe::deadline_in(500ms), [&](auto) { first.set_value(); });
    rig.controller->async_status_all(poe::deadline_in(500ms), [](auto) {});  // may join or queue
    auto third = rig.controller->power("Gi1/0/1", PowerAction::off, poe::deadline_in(500ms));
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code, ErrorCode::busy);
    first.get_future().wait();
}

TEST(SwitchController, IdleSessionIsPingedAndThenClosed) {
    poe::ControllerOptions options = no_cache();
    options.keepalive_interval = 20ms;
    options.idle_disconnect = 300ms;
    Rig rig(options);
    ASSERT_TRUE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
    const auto give_up = poe::deadline_in(5s);
    while (rig.device->counters().disconnects == 0 && poe::Clock::now() < give_up) {
        std::this_thread::sleep_for(10ms);  // polling an observable, not synchronising
    }
    EXPECT_GE(rig.device->counters().pings, 1U);
    EXPECT_EQ(rig.device->counters().disconnects, 1U);
    EXPECT_FALSE(rig.controller->stats().connected);
    ASSERT_TRUE(rig.controller->status("Gi1/0/1", poe::deadline_in(1s)).ok());
    EXPECT_EQ(rig.device->counters().connects, 2U);
}

TEST(SwitchController, CreateRejectsMissingPieces) {
    EXPECT_EQ(poe::SwitchController::create("", nullptr).error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(poe::SwitchController::create("x", nullptr).error().code, ErrorCode::invalid_argument);
}

}  // namespace

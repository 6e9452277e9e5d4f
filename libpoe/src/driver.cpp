// SPDX-License-Identifier: Apache-2.0
#include <poe/driver.hpp>

#include "logging.hpp"

namespace poe {
namespace {

Error deadline_passed(std::string_view what) {
    return make_error(ErrorCode::timeout,
                      std::string(what) + ": deadline passed before the device was asked");
}

// After these the session's state is unknown (half-read output, maybe still
// in config mode on the device side): drop it and start fresh next time.
bool breaks_session(ErrorCode code) {
    return code == ErrorCode::connection_lost || code == ErrorCode::connect_failed ||
           code == ErrorCode::timeout || code == ErrorCode::auth_failed ||
           code == ErrorCode::host_key_mismatch;
}

}  // namespace

Driver::~Driver() = default;

template <typename Op>
auto Driver::with_session(Deadline deadline, Op&& op) -> decltype(op()) {
    if (Clock::now() >= deadline) {
        return deadline_passed("driver");
    }
    if (auto connected = connect(deadline); !connected) {
        return std::move(connected).error();
    }
    auto result = op();
    if (!result && breaks_session(result.error().code)) {
        detail::log(LogLevel::debug, "driver: closing session after ", to_string(result.error().code));
        disconnect();
    }
    return result;
}

Result<void> Driver::connect(Deadline deadline) {
    if (connected_) {
        return success();
    }
    if (Clock::now() >= deadline) {
        return deadline_passed("connect");
    }
    auto result = do_connect(deadline);
    if (result) {
        connected_ = true;
    } else {
        do_disconnect();
    }
    return result;
}

void Driver::disconnect() noexcept {
    do_disconnect();
    connected_ = false;
}

Result<std::vector<PortStatus>> Driver::read_ports(Deadline deadline) {
    return with_session(deadline, [&] { return do_read_ports(deadline); });
}

Result<void> Driver::set_admin(std::span<const PortChange> changes, Deadline deadline) {
    if (changes.empty()) {
        return success();
    }
    return with_session(deadline, [&] { return do_set_admin(changes, deadline); });
}

Result<void> Driver::ping(Deadline deadline) {
    return with_session(deadline, [&] { return do_ping(deadline); });
}

Result<void> Driver::save_config(Deadline deadline) {
    if (!capabilities().save_config) {
        return make_error(ErrorCode::unsupported, "this driver cannot save the switch configuration");
    }
    return with_session(deadline, [&] { return do_save_config(deadline); });
}

Result<void> Driver::do_save_config(Deadline /*deadline*/) {
    return make_error(ErrorCode::unsupported, "this driver cannot save the switch configuration");
}

Result<std::string> Driver::normalize_port(std::string_view name) const {
    return do_normalize_port(name);
}

}  // namespace poe

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// From a request's method, target and credentials to a Reply: routing,
/// authentication, name resolution and the libpoe calls. No sockets here;
/// the HTTP session feeds requests in and writes replies out.

#include "api/api_error.hpp"
#include "api/bridge_metrics.hpp"
#include "api/reply.hpp"
#include "auth/authenticator.hpp"
#include "config/bridge_config.hpp"
#include "machines/machine_resolver.hpp"
#include "routing/route.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/deadline.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace maas_bridge {

/// The parts of an HTTP request the bridge looks at.
struct RequestInfo {
    std::string_view method;         ///< "GET", "POST", ...
    std::string_view target;         ///< Request target as sent, e.g. "/v1/machines/pi-01/on".
    std::string_view authorization;  ///< Authorization header value, "" when absent.
};

/// A reply that needs the switch: start() launches the libpoe call, whose
/// callback (on a libpoe thread) receives the finished Reply. The caller
/// should give up waiting shortly after `deadline` (libpoe honours it too).
struct PendingCall {
    poe::Deadline deadline;
    std::function<void(ReplyCallback)> start;
    std::string machine;  ///< For the access log and the timeout reply.
};

/// What to do with a request.
struct Dispatch {
    std::string identity{"-"};  ///< Authenticated name for the access log.
    std::variant<Reply, PendingCall> work;
};

/// Thread-safety: immutable; handle() may be called concurrently.
class RequestHandler {
public:
    RequestHandler(std::shared_ptr<const MachineResolver> resolver, std::shared_ptr<const SwitchFleet> fleet,
                   Authenticator authenticator, Limits limits);

    /// Resolver, authenticator and limits from `config`; switches from `fleet`.
    static std::shared_ptr<const RequestHandler> from_config(const BridgeConfig& config,
                                                             std::shared_ptr<const SwitchFleet> fleet);

    /// Routes, authenticates and resolves the request. Never blocks: device
    /// work is returned as a PendingCall.
    [[nodiscard]] Dispatch handle(const RequestInfo& request) const;

    /// Counters shared with the HTTP layer (which records requests and connections).
    [[nodiscard]] BridgeMetrics& metrics() const noexcept { return *metrics_; }

    /// 504 used when the bridge's own deadline passes before libpoe answers.
    [[nodiscard]] static Reply deadline_reply(const std::string& machine);

    /// 503 used when the bridge shuts down before libpoe answers.
    [[nodiscard]] static Reply shutdown_reply(const std::string& machine);

    /// Renders an error answer.
    [[nodiscard]] static Reply error_reply(const ApiError& error, std::string machine = "-");

private:
    [[nodiscard]] Dispatch dispatch_route(const Route& route, std::string identity) const;
    [[nodiscard]] PendingCall status_call(ResolvedTarget target) const;
    [[nodiscard]] PendingCall power_call(ResolvedTarget target, poe::PowerAction action) const;
    [[nodiscard]] std::variant<Reply, PendingCall> switch_call(const std::string& switch_id) const;
    [[nodiscard]] Reply switches_reply() const;

    std::shared_ptr<const MachineResolver> resolver_;
    std::shared_ptr<const SwitchFleet> fleet_;
    Authenticator authenticator_;
    Limits limits_;
    std::shared_ptr<BridgeMetrics> metrics_;
};

}  // namespace maas_bridge

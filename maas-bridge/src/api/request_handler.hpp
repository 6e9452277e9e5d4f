// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// From a request's method, target and credentials to a Reply: routing,
/// authentication, name resolution and the libpoe calls. No sockets here;
/// the HTTP session feeds requests in and writes replies out.

#include "api/api_error.hpp"
#include "api/bridge_metrics.hpp"
#include "api/reply.hpp"
#include "audit/audit_log.hpp"
#include "auth/authenticator.hpp"
#include "config/bridge_config.hpp"
#include "machines/machine_resolver.hpp"
#include "routing/route.hpp"
#include "switches/switch_fleet.hpp"

#include <poe/deadline.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

namespace maas_bridge {

/// The parts of an HTTP request the bridge looks at.
struct RequestInfo {
    std::string_view method;         ///< "GET", "POST", ...
    std::string_view target;         ///< Request target as sent, e.g. "/v1/machines/pi-01/on".
    std::string_view authorization;  ///< Authorization header value, "" when absent.
    std::string_view remote{};       ///< Client "ip:port" (audit log), "" when unknown.
    std::string_view request_id{};   ///< X-Request-ID header value (audit log), "" when absent.
};

/// Everything about request handling that a configuration reload replaces
/// at once.
struct HandlerSetup {
    std::shared_ptr<const MachineResolver> resolver;
    std::shared_ptr<const SwitchFleet> fleet;
    Authenticator authenticator;
    Limits limits;                    ///< request_timeout and cycle_timeout are used here.
    std::shared_ptr<AuditLog> audit;  ///< Null: no audit log.
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

/// Thread-safety: handle(), setup() and replace() may be called
/// concurrently. Each request is handled with the setup current when
/// handle() was called, also when replace() swaps it meanwhile; the metrics
/// belong to the handler and outlive every setup.
class RequestHandler {
public:
    RequestHandler(std::shared_ptr<const MachineResolver> resolver, std::shared_ptr<const SwitchFleet> fleet,
                   Authenticator authenticator, Limits limits, std::shared_ptr<AuditLog> audit = {});
    explicit RequestHandler(HandlerSetup setup);

    /// Resolver, authenticator and limits from `config`; switches from
    /// `fleet`; power changes recorded in `audit` when given.
    static std::shared_ptr<RequestHandler> from_config(const BridgeConfig& config,
                                                       std::shared_ptr<const SwitchFleet> fleet,
                                                       std::shared_ptr<AuditLog> audit = {});

    /// The setup for `config` (what from_config() uses).
    static HandlerSetup setup_for(const BridgeConfig& config, std::shared_ptr<const SwitchFleet> fleet,
                                  std::shared_ptr<AuditLog> audit = {});

    /// Routes, authenticates and resolves the request. Never blocks: device
    /// work is returned as a PendingCall. Power changes that reach a switch
    /// controller are appended to the audit log (when there is one) before
    /// their reply is handed to the callback.
    [[nodiscard]] Dispatch handle(const RequestInfo& request) const;

    /// Requests handled from now on use `setup`; requests already handled
    /// finish with the one they started with.
    void replace(HandlerSetup setup);

    /// The setup new requests use.
    [[nodiscard]] std::shared_ptr<const HandlerSetup> setup() const;

    /// Counters shared with the HTTP layer (which records requests and connections).
    [[nodiscard]] BridgeMetrics& metrics() const noexcept { return *metrics_; }

    /// 504 used when the bridge's own deadline passes before libpoe answers.
    [[nodiscard]] static Reply deadline_reply(const std::string& machine);

    /// 503 used when the bridge shuts down before libpoe answers.
    [[nodiscard]] static Reply shutdown_reply(const std::string& machine);

    /// Renders an error answer.
    [[nodiscard]] static Reply error_reply(const ApiError& error, std::string machine = "-");

private:
    // Who asked, for the audit log.
    struct Requester {
        std::string identity;
        std::string remote;
        std::string request_id;
    };

    [[nodiscard]] Dispatch dispatch_route(const HandlerSetup& setup, const Route& route,
                                          Requester requester) const;
    [[nodiscard]] static PendingCall status_call(const HandlerSetup& setup, ResolvedTarget target);
    [[nodiscard]] PendingCall power_call(const HandlerSetup& setup, ResolvedTarget target,
                                         poe::PowerAction action, Requester requester) const;
    [[nodiscard]] static std::variant<Reply, PendingCall> switch_call(const HandlerSetup& setup,
                                                                      const std::string& switch_id);
    [[nodiscard]] static Reply switches_reply(const HandlerSetup& setup);

    mutable std::mutex setup_mutex_;
    std::shared_ptr<const HandlerSetup> setup_;  // under setup_mutex_
    std::shared_ptr<BridgeMetrics> metrics_;
};

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#include "api/request_handler.hpp"

#include "api/response_bodies.hpp"
#include "routing/router.hpp"

#include <spdlog/spdlog.h>

namespace maas_bridge {
namespace {

Reply ok_reply(std::string body, std::string machine, std::string outcome = "ok") {
    Reply reply;
    reply.status = 200;
    reply.body = std::move(body);
    reply.machine = std::move(machine);
    reply.outcome = std::move(outcome);
    return reply;
}

std::string log_name(const ResolvedTarget& target) {
    return target.machine.empty() ? target.switch_id + "/" + target.port : target.machine;
}

// A name that fits a pattern but lands on a port the switch lacks is, to
// MAAS and its user, an unknown machine: say so, and say why.
ApiError api_error_for(const ResolvedTarget& target, const poe::Error& error) {
    if (error.code == poe::ErrorCode::unknown_port && !target.pattern.empty()) {
        return ApiError{422,
                        "unknown_machine",
                        "unknown machine \"" + target.machine + "\" (pattern \"" + target.pattern +
                            "\" maps it to " + target.switch_id + " " + target.port +
                            ", which the switch does not have)",
                        {},
                        {},
                        std::nullopt};
    }
    return to_api_error(error);
}

// X-Request-ID is the client's: keep what the audit log holds short.
constexpr std::size_t max_request_id_bytes = 128;

}  // namespace

RequestHandler::RequestHandler(std::shared_ptr<const MachineResolver> resolver,
                               std::shared_ptr<const SwitchFleet> fleet, Authenticator authenticator,
                               Limits limits, std::shared_ptr<AuditLog> audit)
    : RequestHandler(HandlerSetup{std::move(resolver), std::move(fleet), std::move(authenticator), limits,
                                  std::move(audit)}) {
}

RequestHandler::RequestHandler(HandlerSetup setup)
    : setup_(std::make_shared<const HandlerSetup>(std::move(setup))),
      metrics_(std::make_shared<BridgeMetrics>()) {
}

HandlerSetup RequestHandler::setup_for(const BridgeConfig& config, std::shared_ptr<const SwitchFleet> fleet,
                                       std::shared_ptr<AuditLog> audit) {
    return HandlerSetup{std::make_shared<const MachineResolver>(config), std::move(fleet),
                        Authenticator(config.auth), config.limits, std::move(audit)};
}

std::shared_ptr<RequestHandler> RequestHandler::from_config(const BridgeConfig& config,
                                                            std::shared_ptr<const SwitchFleet> fleet,
                                                            std::shared_ptr<AuditLog> audit) {
    return std::make_shared<RequestHandler>(setup_for(config, std::move(fleet), std::move(audit)));
}

void RequestHandler::replace(HandlerSetup setup) {
    auto next = std::make_shared<const HandlerSetup>(std::move(setup));
    std::shared_ptr<const HandlerSetup> previous;
    {
        const std::lock_guard lock(setup_mutex_);
        previous = std::exchange(setup_, std::move(next));
    }
    // `previous` is released here, outside the lock: when it held the last
    // reference to a removed switch, that controller shuts down now.
}

std::shared_ptr<const HandlerSetup> RequestHandler::setup() const {
    const std::lock_guard lock(setup_mutex_);
    return setup_;
}

Reply RequestHandler::error_reply(const ApiError& error, std::string machine) {
    Reply reply;
    reply.status = error.status;
    reply.body = error_body(error);
    reply.allow = error.allow;
    reply.retry_after_seconds = error.retry_after_seconds;
    reply.challenge = error.status == 401;
    reply.machine = std::move(machine);
    reply.outcome = error.code;
    return reply;
}

Reply RequestHandler::deadline_reply(const std::string& machine) {
    return error_reply(
        ApiError{
            504, "timeout", "the switch did not answer before the request deadline", {}, {}, std::nullopt},
        machine);
}

Reply RequestHandler::shutdown_reply(const std::string& machine) {
    return error_reply(ApiError{503, "cancelled", "maas-bridge is shutting down", {}, {}, 5}, machine);
}

Dispatch RequestHandler::handle(const RequestInfo& request) const {
    const std::shared_ptr<const HandlerSetup> setup = this->setup();
    const auto requester = [&request](std::string identity) {
        return Requester{std::move(identity), std::string(request.remote),
                         std::string(request.request_id.substr(0, max_request_id_bytes))};
    };
    auto parsed = parse_route(request.method, request.target);
    const Route* route = std::get_if<Route>(&parsed);
    if (route != nullptr && !route->requires_auth()) {
        return dispatch_route(*setup, *route, requester("-"));
    }
    // Credentials before anything else, so unauthenticated clients learn
    // nothing about which machines or routes exist.
    const AuthVerdict verdict = setup->authenticator.check(request.authorization);
    if (!verdict.ok()) {
        const bool missing = verdict.kind == AuthVerdict::Kind::missing;
        return Dispatch{
            "-", error_reply(ApiError{
                     401,
                     "unauthenticated",
                     missing ? "credentials required (Bearer token or Basic user)" : "invalid credentials",
                     {},
                     {},
                     std::nullopt})};
    }
    if (route == nullptr) {
        return Dispatch{verdict.identity, error_reply(std::get<ApiError>(parsed))};
    }
    return dispatch_route(*setup, *route, requester(verdict.identity));
}

Dispatch RequestHandler::dispatch_route(const HandlerSetup& setup, const Route& route,
                                        Requester requester) const {
    std::string identity = requester.identity;
    switch (route.kind) {
        case RouteKind::healthz:
            return Dispatch{std::move(identity), ok_reply(R"({"status":"ok"})", "-")};
        case RouteKind::metrics: {
            Reply reply = ok_reply(metrics_->render(*setup.fleet), "-");
            reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
            return Dispatch{std::move(identity), std::move(reply)};
        }
        case RouteKind::list_machines:
            return Dispatch{std::move(identity), ok_reply(machines_body(setup.resolver->rules()), "-")};
        case RouteKind::list_switches:
            return Dispatch{std::move(identity), switches_reply(setup)};
        case RouteKind::switch_detail:
            return Dispatch{std::move(identity), switch_call(setup, route.switch_id)};
        case RouteKind::machine_status:
        case RouteKind::machine_power: {
            auto target = setup.resolver->resolve_machine(route.machine);
            if (!target) {
                return Dispatch{
                    std::move(identity),
                    error_reply(
                        ApiError{422, "unknown_machine", target.error().message, {}, {}, std::nullopt},
                        route.machine)};
            }
            if (route.kind == RouteKind::machine_status) {
                return Dispatch{std::move(identity), status_call(setup, std::move(target).value())};
            }
            return Dispatch{std::move(identity),
                            power_call(setup, std::move(target).value(), route.action, std::move(requester))};
        }
        case RouteKind::port_status:
        case RouteKind::port_power: {
            auto target = setup.resolver->resolve_port(route.switch_id, route.port);
            if (!target) {
                return Dispatch{std::move(identity), error_reply(to_api_error(target.error()),
                                                                 route.switch_id + "/" + route.port)};
            }
            if (route.kind == RouteKind::port_status) {
                return Dispatch{std::move(identity), status_call(setup, std::move(target).value())};
            }
            return Dispatch{std::move(identity),
                            power_call(setup, std::move(target).value(), route.action, std::move(requester))};
        }
    }
    return Dispatch{std::move(identity),
                    error_reply(ApiError{500, "internal", "unhandled route", {}, {}, std::nullopt})};
}

PendingCall RequestHandler::status_call(const HandlerSetup& setup, ResolvedTarget target) {
    const FleetSwitch* sw = setup.fleet->find(target.switch_id);
    std::string name = log_name(target);
    PendingCall call{poe::deadline_in(setup.limits.request_timeout), {}, name};
    if (sw == nullptr) {
        // Config and fleet disagree: a bug, not a user error.
        call.start = [name, id = target.switch_id](const ReplyCallback& done) {
            done(error_reply(
                ApiError{500, "internal", "switch \"" + id + "\" has no controller", {}, {}, std::nullopt},
                name));
        };
        return call;
    }
    call.start = [controller = sw->controller, target = std::move(target), name,
                  deadline = call.deadline](ReplyCallback done) {
        std::string port = target.port;
        controller->async_status(std::move(port), deadline,
                                 [target, name, done = std::move(done)](poe::Result<poe::PortStatus> result) {
                                     if (!result) {
                                         done(error_reply(api_error_for(target, result.error()), name));
                                         return;
                                     }
                                     done(ok_reply(status_body(target, result.value()), name));
                                 });
    };
    return call;
}

PendingCall RequestHandler::power_call(const HandlerSetup& setup, ResolvedTarget target,
                                       poe::PowerAction action, Requester requester) const {
    const FleetSwitch* sw = setup.fleet->find(target.switch_id);
    std::string name = log_name(target);
    // "on" of an on port cycles it under on_when_on: cycle, so it needs the cycle budget.
    const bool may_cycle =
        action == poe::PowerAction::cycle ||
        (action == poe::PowerAction::on && target.policy.on_when_on == poe::OnWhenOn::cycle);
    PendingCall call{
        poe::deadline_in(may_cycle ? setup.limits.cycle_timeout : setup.limits.request_timeout), {}, name};
    if (sw == nullptr) {
        call.start = [name, id = target.switch_id](const ReplyCallback& done) {
            done(error_reply(
                ApiError{500, "internal", "switch \"" + id + "\" has no controller", {}, {}, std::nullopt},
                name));
        };
        return call;
    }
    poe::PowerOptions options;
    options.on_setting = target.policy.on_setting;
    options.on_when_on = target.policy.on_when_on;
    options.cycle_dwell = target.policy.cycle_dwell;
    // The callback must not hold the controller: it runs on the controller's
    // own thread, which cannot destroy it.
    call.start = [controller = sw->controller, target = std::move(target), name, action, options,
                  deadline = call.deadline, audit = setup.audit, metrics = metrics_,
                  requester = std::move(requester)](ReplyCallback done) {
        std::string port = target.port;
        controller->async_power(
            std::move(port), action, deadline,
            [target, name, action, audit, metrics, requester,
             done = std::move(done)](poe::Result<poe::PowerOutcome> result) {
                if (audit) {
                    // Before the reply: once MAAS has its answer, the line is in the file.
                    AuditRecord record{std::chrono::system_clock::now(),
                                       requester.identity,
                                       requester.remote,
                                       requester.request_id,
                                       target.machine,
                                       target.switch_id,
                                       target.port,
                                       action,
                                       {},
                                       {}};
                    if (result) {
                        record.outcome = result.value();
                    } else {
                        record.error = result.error();
                    }
                    if (auto appended = audit->append(record); appended) {
                        metrics->audit_written();
                    } else {
                        metrics->audit_write_failed();
                        spdlog::error("{} (power {} of {} {} {}: {})", appended.error().message,
                                      poe::to_string(action), name, target.switch_id, target.port,
                                      result ? "done" : poe::to_string(result.error().code));
                    }
                }
                if (!result) {
                    done(error_reply(api_error_for(target, result.error()), name));
                    return;
                }
                const poe::PowerOutcome& outcome = result.value();
                const bool changed = outcome.changed || outcome.cycled;
                done(ok_reply(status_body(target, outcome.after, ActionReport{action, changed}), name,
                              outcome.cycled ? "cycled" : (changed ? "changed" : "no-op")));
            },
            options);
    };
    return call;
}

std::variant<Reply, PendingCall> RequestHandler::switch_call(const HandlerSetup& setup,
                                                             const std::string& switch_id) {
    const FleetSwitch* sw = setup.fleet->find(switch_id);
    if (sw == nullptr) {
        return error_reply(
            ApiError{422, "unknown_switch", "unknown switch \"" + switch_id + "\"", {}, {}, std::nullopt},
            switch_id);
    }
    PendingCall call{poe::deadline_in(setup.limits.request_timeout), {}, switch_id};
    call.start = [controller = sw->controller, resolver = setup.resolver, id = sw->id, driver = sw->driver,
                  deadline = call.deadline](ReplyCallback done) {
        controller->async_status_all(deadline, [resolver, id, driver, done = std::move(done)](
                                                   poe::Result<std::vector<poe::PortStatus>> result) {
            if (!result) {
                done(error_reply(to_api_error(result.error()), id));
                return;
            }
            std::vector<PortListing> ports;
            for (auto& port : result.value()) {
                auto machine = resolver->machine_for_port(id, port.name);
                ports.push_back(PortListing{std::move(port), std::move(machine)});
            }
            done(ok_reply(switch_body(id, driver, ports), id));
        });
    };
    return call;
}

Reply RequestHandler::switches_reply(const HandlerSetup& setup) {
    std::vector<SwitchSummary> summaries;
    for (const FleetSwitch* sw : setup.fleet->all()) {
        const poe::ControllerStats stats = sw->controller->stats();
        summaries.push_back(SwitchSummary{sw->id, sw->driver, stats.connected, stats.circuit_open});
    }
    return ok_reply(switches_body(summaries), "-");
}

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#include "api/request_handler.hpp"

#include "api/response_bodies.hpp"
#include "routing/router.hpp"

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

}  // namespace

RequestHandler::RequestHandler(std::shared_ptr<const MachineResolver> resolver,
                               std::shared_ptr<const SwitchFleet> fleet, Authenticator authenticator,
                               Limits limits)
    : resolver_(std::move(resolver)),
      fleet_(std::move(fleet)),
      authenticator_(std::move(authenticator)),
      limits_(limits),
      metrics_(std::make_shared<BridgeMetrics>()) {
}

std::shared_ptr<const RequestHandler> RequestHandler::from_config(const BridgeConfig& config,
                                                                  std::shared_ptr<const SwitchFleet> fleet) {
    return std::make_shared<const RequestHandler>(std::make_shared<const MachineResolver>(config),
                                                  std::move(fleet), Authenticator(config.auth),
                                                  config.limits);
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
    auto parsed = parse_route(request.method, request.target);
    const Route* route = std::get_if<Route>(&parsed);
    if (route != nullptr && !route->requires_auth()) {
        return dispatch_route(*route, "-");
    }
    // Credentials before anything else, so unauthenticated clients learn
    // nothing about which machines or routes exist.
    const AuthVerdict verdict = authenticator_.check(request.authorization);
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
    return dispatch_route(*route, verdict.identity);
}

Dispatch RequestHandler::dispatch_route(const Route& route, std::string identity) const {
    switch (route.kind) {
        case RouteKind::healthz:
            return Dispatch{std::move(identity), ok_reply(R"({"status":"ok"})", "-")};
        case RouteKind::metrics: {
            Reply reply = ok_reply(metrics_->render(*fleet_), "-");
            reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
            return Dispatch{std::move(identity), std::move(reply)};
        }
        case RouteKind::list_machines:
            return Dispatch{std::move(identity), ok_reply(machines_body(resolver_->rules()), "-")};
        case RouteKind::list_switches:
            return Dispatch{std::move(identity), switches_reply()};
        case RouteKind::switch_detail:
            return Dispatch{std::move(identity), switch_call(route.switch_id)};
        case RouteKind::machine_status:
        case RouteKind::machine_power: {
            auto target = resolver_->resolve_machine(route.machine);
            if (!target) {
                return Dispatch{
                    std::move(identity),
                    error_reply(
                        ApiError{422, "unknown_machine", target.error().message, {}, {}, std::nullopt},
                        route.machine)};
            }
            if (route.kind == RouteKind::machine_status) {
                return Dispatch{std::move(identity), status_call(std::move(target).value())};
            }
            return Dispatch{std::move(identity), power_call(std::move(target).value(), route.action)};
        }
        case RouteKind::port_status:
        case RouteKind::port_power: {
            auto target = resolver_->resolve_port(route.switch_id, route.port);
            if (!target) {
                return Dispatch{std::move(identity), error_reply(to_api_error(target.error()),
                                                                 route.switch_id + "/" + route.port)};
            }
            if (route.kind == RouteKind::port_status) {
                return Dispatch{std::move(identity), status_call(std::move(target).value())};
            }
            return Dispatch{std::move(identity), power_call(std::move(target).value(), route.action)};
        }
    }
    return Dispatch{std::move(identity),
                    error_reply(ApiError{500, "internal", "unhandled route", {}, {}, std::nullopt})};
}

PendingCall RequestHandler::status_call(ResolvedTarget target) const {
    const FleetSwitch* sw = fleet_->find(target.switch_id);
    std::string name = log_name(target);
    PendingCall call{poe::deadline_in(limits_.request_timeout), {}, name};
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

PendingCall RequestHandler::power_call(ResolvedTarget target, poe::PowerAction action) const {
    const FleetSwitch* sw = fleet_->find(target.switch_id);
    std::string name = log_name(target);
    // "on" of an on port cycles it under on_when_on: cycle, so it needs the cycle budget.
    const bool may_cycle =
        action == poe::PowerAction::cycle ||
        (action == poe::PowerAction::on && target.policy.on_when_on == poe::OnWhenOn::cycle);
    PendingCall call{poe::deadline_in(may_cycle ? limits_.cycle_timeout : limits_.request_timeout), {}, name};
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
    call.start = [controller = sw->controller, target = std::move(target), name, action, options,
                  deadline = call.deadline](ReplyCallback done) {
        std::string port = target.port;
        controller->async_power(
            std::move(port), action, deadline,
            [target, name, action, done = std::move(done)](poe::Result<poe::PowerOutcome> result) {
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

std::variant<Reply, PendingCall> RequestHandler::switch_call(const std::string& switch_id) const {
    const FleetSwitch* sw = fleet_->find(switch_id);
    if (sw == nullptr) {
        return error_reply(
            ApiError{422, "unknown_switch", "unknown switch \"" + switch_id + "\"", {}, {}, std::nullopt},
            switch_id);
    }
    PendingCall call{poe::deadline_in(limits_.request_timeout), {}, switch_id};
    call.start = [controller = sw->controller, resolver = resolver_, id = sw->id, driver = sw->driver,
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

Reply RequestHandler::switches_reply() const {
    std::vector<SwitchSummary> summaries;
    for (const FleetSwitch* sw : fleet_->all()) {
        const poe::ControllerStats stats = sw->controller->stats();
        summaries.push_back(SwitchSummary{sw->id, sw->driver, stats.connected, stats.circuit_open});
    }
    return ok_reply(switches_body(summaries), "-");
}

}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#include "api/response_bodies.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <regex>

namespace maas_bridge {
namespace {

// MAAS's defaults (webhook power driver), tried in this order with
// re.search on the whole body; "." does not cross newlines.

enum class MaasReading { on, off, unknown };

MaasReading maas_reads(const std::string& body) {
    static const std::regex maas_on_regex(R"(status.*\:.*running)");
    static const std::regex maas_off_regex(R"(status.*\:.*stopped)");
    if (std::regex_search(body, maas_on_regex)) {
        return MaasReading::on;
    }
    if (std::regex_search(body, maas_off_regex)) {
        return MaasReading::off;
    }
    return MaasReading::unknown;
}

std::vector<std::string> hostile_texts() {
    return {
        "",
        "running",
        "stopped",
        "status: running",
        "status:stopped",
        "\"status\":\"running\"",
        "\"},\"status\":\"running",
        "Running Stopped STATUS",
        "\running",
        "\\running",
        "\nstatus:running",
        "pi-running-01",
        "stopped-status",
    };
}

TEST(StatusBody, EveryStateAndHostileTextReadsExactlyAsIntended) {
    const std::vector<poe::AdminMode> admins{poe::AdminMode::automatic, poe::AdminMode::static_power,
                                             poe::AdminMode::never};
    const std::vector<poe::OperState> opers{poe::OperState::on, poe::OperState::off, poe::OperState::faulty,
                                            poe::OperState::power_deny, poe::OperState::other};
    const std::vector<std::string> hostile = hostile_texts();
    int checked = 0;
    for (const auto meaning : {RunningMeaning::admin, RunningMeaning::delivering}) {
        for (const auto admin : admins) {
            for (const auto oper : opers) {
                for (const auto& text : hostile) {
                    for (const bool with_action : {false, true}) {
                        ResolvedTarget target{text, text, "Gi1/0/1", {}, {}};
                        target.policy.running = meaning;
                        poe::PortStatus port;
                        port.name = text.empty() ? "Gi1/0/1" : text;
                        port.admin = admin;
                        port.oper = oper;
                        port.oper_text = text;
                        port.device = text;
                        port.poe_class = text;
                        port.watts = 4.2;
                        const std::optional<ActionReport> action =
                            with_action
                                ? std::optional<ActionReport>(ActionReport{poe::PowerAction::on, true})
                                : std::nullopt;
                        const std::string body = status_body(target, port, action);

                        const bool running = meaning == RunningMeaning::admin ? admin != poe::AdminMode::never
                                                                              : oper == poe::OperState::on;
                        EXPECT_EQ(maas_reads(body), running ? MaasReading::on : MaasReading::off) << body;
                        EXPECT_EQ(body.find('\n'), std::string::npos);
                        EXPECT_TRUE(body.starts_with(running ? R"({"status":"running",)"
                                                             : R"({"status":"stopped",)"));

                        boost::system::error_code ec;
                        const auto json = boost::json::parse(body, ec);
                        ASSERT_FALSE(ec) << body;
                        const auto& object = json.as_object();
                        EXPECT_EQ(object.at("device").as_string(), text);
                        EXPECT_EQ(object.at("switch").as_string(), text);
                        if (text.empty()) {
                            EXPECT_TRUE(object.at("machine").is_null());
                        } else {
                            EXPECT_EQ(object.at("machine").as_string(), text);
                        }
                        ++checked;
                    }
                }
            }
        }
    }
    EXPECT_EQ(checked, 2 * 3 * 5 * static_cast<int>(hostile.size()) * 2);
}

TEST(StatusBody, Shape) {
    ResolvedTarget target{"pi-01", "demo", "Gi1/0/1", {}, {}};
    poe::PortStatus port;
    port.name = "Gi1/0/1";
    port.admin = poe::AdminMode::automatic;
    port.oper = poe::OperState::on;
    port.oper_text = "on";
    port.watts = 5.1;
    port.poe_class = "4";
    port.device = "Raspberry Pi";
    port.max_watts = 30.0;
    EXPECT_EQ(
        status_body(target, port),
        R"({"status":"running","machine":"pi-01","switch":"demo","port":"Gi1/0/1","admin":"auto","oper":"on",)"
        R"("watts":5.1,"class":"4","device":"Raspberry Pi","max_watts":30.0})");
    EXPECT_EQ(
        status_body(target, port, ActionReport{poe::PowerAction::off, false}),
        R"({"status":"running","machine":"pi-01","switch":"demo","port":"Gi1/0/1","admin":"auto","oper":"on",)"
        R"("watts":5.1,"class":"4","device":"Raspberry Pi","max_watts":30.0,"action":"off","changed":false})");

    port.oper = poe::OperState::other;
    port.oper_text = "lldp-shutdown";
    port.max_watts.reset();
    const std::string body = status_body(target, port);
    EXPECT_NE(body.find(R"("oper":"other","oper_text":"lldp-shutdown")"), std::string::npos) << body;
    EXPECT_NE(body.find(R"("max_watts":null)"), std::string::npos) << body;
}

TEST(ErrorBody, ShapeAndTruncation) {
    EXPECT_EQ(error_body(ApiError{422, "unknown_machine", "unknown machine \"pi-99\"", {}, {}, std::nullopt}),
              R"({"error":{"code":"unknown_machine","message":"unknown machine \"pi-99\""}})");
    const std::string long_text(5000, 'x');
    const std::string body = error_body(ApiError{502, "device_rejected", "no", long_text, {}, std::nullopt});
    EXPECT_NE(body.find(R"("device_text":")" + std::string(max_device_text_bytes, 'x') + "\""),
              std::string::npos);
    EXPECT_LT(body.size(), 2200U);
}

TEST(ApiError, EveryCodeMapsToOneStatus) {
    using poe::ErrorCode;
    EXPECT_EQ(http_status_for(ErrorCode::invalid_argument), 400U);
    EXPECT_EQ(http_status_for(ErrorCode::unknown_switch), 422U);
    EXPECT_EQ(http_status_for(ErrorCode::unknown_port), 422U);
    EXPECT_EQ(http_status_for(ErrorCode::unsupported), 501U);
    for (const auto code : {ErrorCode::connect_failed, ErrorCode::connection_lost, ErrorCode::device_rejected,
                            ErrorCode::parse_error, ErrorCode::auth_failed, ErrorCode::host_key_mismatch}) {
        EXPECT_EQ(http_status_for(code), 502U);
    }
    EXPECT_EQ(http_status_for(ErrorCode::timeout), 504U);
    EXPECT_EQ(http_status_for(ErrorCode::busy), 503U);
    EXPECT_EQ(http_status_for(ErrorCode::unavailable), 503U);
    EXPECT_EQ(http_status_for(ErrorCode::cancelled), 503U);
    EXPECT_EQ(http_status_for(ErrorCode::internal), 500U);
    EXPECT_EQ(retry_after_for(ErrorCode::busy), 5U);
    EXPECT_EQ(retry_after_for(ErrorCode::unavailable), 5U);
    EXPECT_EQ(retry_after_for(ErrorCode::timeout), std::nullopt);

    const ApiError error =
        to_api_error(poe::make_error(ErrorCode::device_rejected, "nope", "% Invalid input"));
    EXPECT_EQ(error.status, 502U);
    EXPECT_EQ(error.code, "device_rejected");
    EXPECT_EQ(error.device_text, "% Invalid input");
}

}  // namespace
}  // namespace maas_bridge

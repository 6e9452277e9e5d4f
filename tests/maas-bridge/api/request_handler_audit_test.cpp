// SPDX-License-Identifier: Apache-2.0
// The audit trail as a client sees it: over HTTP, through the fake switch.

#include "api/request_handler.hpp"

#include "support/fake_bridge.hpp"
#include "support/http_test_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <csignal>

#include <sys/resource.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

namespace json = boost::json;
using testing::FakeBridge;
using testing::FakeBridgeOptions;

class RequestHandlerAudit : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device random;
        directory_ = std::filesystem::temp_directory_path() /
                     ("maas-bridge-audit-http-" + std::to_string(random()) + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
        audit_path_ = directory_ / "audit.jsonl";
        FakeBridgeOptions options;
        options.yaml =
            "auth:\n  tokens:\n    - name: maas\n      token: tok\naudit_log: " + audit_path_.string() + "\n";
        bridge_ = std::make_unique<FakeBridge>(options);  // ports start off
        bridge_->start_server();
    }
    void TearDown() override {
        bridge_.reset();
        std::filesystem::remove_all(directory_);
    }

    // One request as MAAS sends it, plus an X-Request-ID.
    testing::Response send(std::string_view method, std::string_view target, std::string_view token = "tok") {
        std::string request =
            std::string(method) + " " + std::string(target) +
            " HTTP/1.1\r\nHost: bridge\r\nUser-Agent: MAAS 3.5\r\nAccept: application/json\r\n"
            "X-Request-ID: req-42\r\nConnection: close\r\n";
        if (!token.empty()) {
            request += "Authorization: Bearer " + std::string(token) + "\r\n";
        }
        request += method == "POST" ? "Content-Length: 0\r\n\r\n" : "\r\n";
        auto response = testing::fetch(bridge_->port(), request);
        EXPECT_TRUE(response.has_value());
        return response.value_or(testing::Response{});
    }

    std::vector<json::object> audit_lines() const {
        std::ifstream in(audit_path_);
        std::vector<json::object> lines;
        for (std::string line; std::getline(in, line);) {
            lines.push_back(json::parse(line).as_object());
        }
        return lines;
    }

    std::filesystem::path directory_;
    std::filesystem::path audit_path_;
    std::unique_ptr<FakeBridge> bridge_;
};

TEST_F(RequestHandlerAudit, ThePowerChangeIsInTheFileWhenTheAnswerArrives) {
    const auto on = send("POST", "/v1/machines/pi-01/on");
    ASSERT_EQ(on.result_int(), 200) << on.body();
    // Read at once: the line was written before the reply was handed over.
    const auto lines = audit_lines();
    ASSERT_EQ(lines.size(), 1U);
    const json::object& line = lines[0];
    EXPECT_EQ(line.at("identity"), "maas");
    EXPECT_TRUE(line.at("source").as_string().starts_with("127.0.0.1:")) << line.at("source");
    EXPECT_EQ(line.at("request_id"), "req-42");
    EXPECT_EQ(line.at("machine"), "pi-01");
    EXPECT_EQ(line.at("switch"), "demo");
    EXPECT_EQ(line.at("port"), "Gi1/0/1");
    EXPECT_EQ(line.at("action"), "on");
    EXPECT_EQ(line.at("result"), "ok");
    EXPECT_EQ(line.at("changed"), true);
    EXPECT_EQ(line.at("before").at("admin"), "never");
    EXPECT_EQ(line.at("before").at("oper"), "off");
    EXPECT_EQ(line.at("after").at("admin"), "auto");
    EXPECT_EQ(line.at("after").at("oper"), "on");
    EXPECT_TRUE(line.at("time").as_string().ends_with("Z"));
}

TEST_F(RequestHandlerAudit, ARepeatedPostIsRecordedAsNoChange) {
    ASSERT_EQ(send("POST", "/v1/machines/pi-03/on").result_int(), 200);
    ASSERT_EQ(send("POST", "/v1/machines/pi-03/on").result_int(), 200);
    const auto lines = audit_lines();
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[1].at("changed"), false);
    EXPECT_EQ(lines[1].at("before").at("admin"), "auto");
    EXPECT_EQ(lines[1].at("after").at("admin"), "auto");
}

TEST_F(RequestHandlerAudit, AFailedChangeRecordsTheErrorAndTheSwitchText) {
    bridge_->device().fail_next(poe::fake::Operation::write,
                                poe::make_error(poe::ErrorCode::device_rejected, "switch refused",
                                                "% Invalid input detected at '^'"));
    const auto on = send("POST", "/v1/switches/demo/ports/Gi1%2F0%2F4/on");
    ASSERT_EQ(on.result_int(), 502) << on.body();
    const auto lines = audit_lines();
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].at("result"), "device_rejected");
    EXPECT_EQ(lines[0].at("message"), "switch refused");
    EXPECT_EQ(lines[0].at("device_text"), "% Invalid input detected at '^'");
    EXPECT_TRUE(lines[0].at("changed").is_null());
    EXPECT_TRUE(lines[0].at("machine").is_null()) << "addressed by port: " << lines[0].at("machine");
    EXPECT_EQ(lines[0].at("port"), "Gi1/0/4");
}

TEST_F(RequestHandlerAudit, QueriesAndRefusedRequestsWriteNothing) {
    EXPECT_EQ(send("GET", "/v1/machines/pi-01").result_int(), 200);
    EXPECT_EQ(send("GET", "/v1/switches/demo").result_int(), 200);
    EXPECT_EQ(send("POST", "/v1/machines/pi-01/on", "wrong").result_int(), 401);
    EXPECT_EQ(send("POST", "/v1/machines/web-01/on").result_int(), 422);
    EXPECT_TRUE(audit_lines().empty());
    ASSERT_TRUE(std::filesystem::exists(audit_path_));

    ASSERT_EQ(send("POST", "/v1/machines/pi-01/off").result_int(), 200);
    const auto metrics = send("GET", "/metrics");
    EXPECT_NE(metrics.body().find("maas_bridge_audit_records_total 1\n"), std::string::npos)
        << metrics.body();
    EXPECT_NE(metrics.body().find("maas_bridge_audit_write_errors_total 0\n"), std::string::npos);
}

// While alive, writes that would grow a regular file fail with EFBIG.
class NoFileGrowth {
public:
    NoFileGrowth() {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit none = saved_;
        none.rlim_cur = 0;
        ::setrlimit(RLIMIT_FSIZE, &none);
    }
    ~NoFileGrowth() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previous_handler_);
    }
    NoFileGrowth(const NoFileGrowth&) = delete;
    NoFileGrowth& operator=(const NoFileGrowth&) = delete;

private:
    rlimit saved_{};
    void (*previous_handler_)(int){};
};

TEST_F(RequestHandlerAudit, AFailedAuditWriteStillAnswersTheTruthAndIsCounted) {
    {
        const NoFileGrowth full;
        const auto on = send("POST", "/v1/machines/pi-06/on");
        EXPECT_EQ(on.result_int(), 200) << on.body();
        EXPECT_NE(on.body().find(R"("changed":true)"), std::string::npos) << on.body();
    }
    EXPECT_TRUE(audit_lines().empty());
    const auto metrics = send("GET", "/metrics");
    EXPECT_NE(metrics.body().find("maas_bridge_audit_write_errors_total 1\n"), std::string::npos)
        << metrics.body();
    EXPECT_NE(metrics.body().find("maas_bridge_audit_records_total 0\n"), std::string::npos);
}

}  // namespace
}  // namespace maas_bridge

// SPDX-License-Identifier: Apache-2.0
#include "audit/audit_log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

namespace json = boost::json;

std::string str(const json::value& value) {
    return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

poe::PortStatus port(poe::AdminMode admin, poe::OperState oper) {
    poe::PortStatus status;
    status.name = "Gi1/0/1";
    status.admin = admin;
    status.oper = oper;
    return status;
}

AuditRecord sample() {
    AuditRecord record;
    // 2026-01-31T12:00:00.123Z
    record.time = std::chrono::system_clock::time_point{std::chrono::milliseconds{1'769'860'800'123}};
    record.identity = "maas";
    record.source = "192.0.2.7:51234";
    record.machine = "pi-01";
    record.switch_id = "core";
    record.port = "Gi1/0/1";
    record.action = poe::PowerAction::on;
    record.outcome = poe::PowerOutcome{port(poe::AdminMode::never, poe::OperState::off),
                                       port(poe::AdminMode::automatic, poe::OperState::on), true, false};
    return record;
}

std::vector<std::string> lines_of(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

class AuditLogTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device random;
        directory_ = std::filesystem::temp_directory_path() /
                     ("maas-bridge-audit-test-" + std::to_string(random()) + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::filesystem::path directory_;
};

TEST(AuditLine, IsOneJsonObjectWithEveryFieldInOrder) {
    EXPECT_EQ(audit_line(sample()),
              R"({"time":"2026-01-31T12:00:00.123Z","identity":"maas","source":"192.0.2.7:51234",)"
              R"("request_id":null,"machine":"pi-01","switch":"core","port":"Gi1/0/1","action":"on",)"
              R"("result":"ok","changed":true,"cycled":false,"before":{"admin":"never","oper":"off"},)"
              R"("after":{"admin":"auto","oper":"on"}})"
              "\n");
}

TEST(AuditLine, AFailureHasTheCodeTheSwitchTextAndNoState) {
    AuditRecord record = sample();
    record.machine.clear();  // addressed by switch and port
    record.request_id = "req-7";
    record.action = poe::PowerAction::off;
    record.outcome.reset();
    record.error = poe::make_error(poe::ErrorCode::device_rejected, "the switch rejected the command",
                                   "% Invalid input detected at '^' marker.");
    const json::object line = json::parse(audit_line(record)).as_object();
    EXPECT_EQ(line.at("result"), "device_rejected");
    EXPECT_EQ(line.at("message"), "the switch rejected the command");
    EXPECT_EQ(line.at("device_text"), "% Invalid input detected at '^' marker.");
    EXPECT_TRUE(line.at("changed").is_null());
    EXPECT_TRUE(line.at("before").is_null());
    EXPECT_TRUE(line.at("after").is_null());
    EXPECT_TRUE(line.at("machine").is_null());
    EXPECT_EQ(line.at("request_id"), "req-7");
    EXPECT_EQ(line.at("action"), "off");
}

TEST(AuditLine, HostileTextStaysInsideItsStringOnOneLine) {
    AuditRecord record = sample();
    record.machine = "pi-01\",\"result\":\"ok\"}\n{\"forged\":true \x01\xff\xc3";
    record.request_id = std::string("id\r\n\0x", 6);
    const std::string text = audit_line(record);
    ASSERT_EQ(text.find('\n'), text.size() - 1) << text;
    const json::object line = json::parse(text).as_object();
    // Invalid UTF-8 bytes come back as U+FFFD; everything else as sent.
    EXPECT_EQ(line.at("machine"),
              "pi-01\",\"result\":\"ok\"}\n{\"forged\":true \x01\xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_EQ(str(line.at("request_id")), std::string("id\r\n\0x", 6));
    EXPECT_FALSE(line.contains("forged"));
}

TEST(AuditLine, HugeSwitchTextIsCutToTheLineLimit) {
    AuditRecord record = sample();
    record.outcome.reset();
    record.error = poe::make_error(poe::ErrorCode::parse_error, std::string(50'000, 'm'),
                                   std::string(100'000, '\x02'));  // each byte escapes to \u0002
    record.machine = std::string(20'000, 'x');
    const std::string text = audit_line(record);
    EXPECT_LE(text.size(), max_audit_line_bytes);
    const json::object line = json::parse(text).as_object();
    EXPECT_TRUE(line.at("device_text").as_string().ends_with("..."));
    EXPECT_TRUE(line.at("message").as_string().starts_with("mmmm"));
    EXPECT_EQ(line.at("result"), "parse_error");
}

TEST_F(AuditLogTest, AppendsLinesToAFileItCreatesWithMode0640) {
    const auto path = directory_ / "audit.jsonl";
    const mode_t mask = ::umask(0);
    ::umask(mask);
    {
        auto log = AuditLog::open(path.string());
        ASSERT_TRUE(log.ok()) << log.error().message;
        ASSERT_TRUE(log.value()->append(sample()).ok());
    }
    {
        // Reopening appends; it never truncates.
        auto log = AuditLog::open(path.string());
        ASSERT_TRUE(log.ok()) << log.error().message;
        ASSERT_TRUE(log.value()->append(sample()).ok());
    }
    EXPECT_EQ(lines_of(path).size(), 2U);
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777U, 0640U & ~mask);
}

TEST_F(AuditLogTest, ConcurrentWritersProduceWholeLines) {
    const auto path = directory_ / "audit.jsonl";
    auto opened = AuditLog::open(path.string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    const std::shared_ptr<AuditLog> log = opened.value();
    constexpr int threads = 8;
    constexpr int per_thread = 200;
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t) {
        writers.emplace_back([log, t] {
            AuditRecord record = sample();
            // Long lines make a torn write likely if writes were not whole.
            record.outcome.reset();
            record.error = poe::make_error(poe::ErrorCode::timeout, "slow",
                                           std::string(3000, static_cast<char>('a' + t)));
            for (int i = 0; i < per_thread; ++i) {
                record.request_id = std::to_string(t) + "-" + std::to_string(i);
                EXPECT_TRUE(log->append(record).ok());
            }
        });
    }
    for (auto& writer : writers) {
        writer.join();
    }
    const auto lines = lines_of(path);
    ASSERT_EQ(lines.size(), std::size_t{threads * per_thread});
    std::set<std::string> ids;
    for (const auto& text : lines) {
        const json::object line = json::parse(text).as_object();
        ids.insert(std::string(line.at("request_id").as_string()));
        const std::string id(line.at("request_id").as_string());
        const char letter = static_cast<char>('a' + std::stoi(id.substr(0, id.find('-'))));
        EXPECT_EQ(str(line.at("device_text")), std::string(3000, letter));
    }
    EXPECT_EQ(ids.size(), lines.size());
}

TEST_F(AuditLogTest, UnwritablePathsAreClearErrors) {
    const std::string missing_directory = (directory_ / "no-such-dir" / "audit.jsonl").string();
    auto log = AuditLog::open(missing_directory);
    ASSERT_FALSE(log.ok());
    EXPECT_EQ(log.error().message,
              "audit_log " + missing_directory + ": cannot open: No such file or directory");

    auto directory = AuditLog::open(directory_.string());
    ASSERT_FALSE(directory.ok());
    EXPECT_NE(directory.error().message.find("audit_log " + directory_.string() + ": "), std::string::npos)
        << directory.error().message;

    auto check = check_audit_log_path(missing_directory);
    ASSERT_FALSE(check.ok());
    EXPECT_NE(check.error().message.find("does not exist"), std::string::npos) << check.error().message;
    EXPECT_FALSE(check_audit_log_path(directory_.string()).ok());
}

TEST_F(AuditLogTest, CheckingAPathDoesNotCreateTheFile) {
    const auto path = directory_ / "audit.jsonl";
    EXPECT_TRUE(check_audit_log_path(path.string()).ok());
    EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace maas_bridge

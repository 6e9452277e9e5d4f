// SPDX-License-Identifier: Apache-2.0
// Host key decisions against known_hosts files and pinned fingerprints.

#include "cisco_ios/host_key_policy.hpp"

#include <poe/log.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace {

using poe::ErrorCode;
using poe::ios::HostKeyCheck;
using poe::ios::HostKeyPolicy;
using poe::ios::PresentedHostKey;
using testing::HasSubstr;

// Two Ed25519-shaped key blobs and their OpenSSH fingerprints.
PresentedHostKey key_a() {
    return {"ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIMqXgRLKG73K+sIxs5oj3E2nhu/4FHxOcrmAd4Wv7ki7",
            "SHA256:tiMhMnRPrlvkQ5cs0JKKkfs5jVh0z0YO308IwZMTntU"};
}
PresentedHostKey key_b() {
    return {"ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAID4j6BYAOVlKM4lPZWThsTSLvXoAiNQsSstz7q7VnACd",
            "SHA256:En3DWSl9KEPNKUwZpsdUirnZ2O5AERXiCuTijiQYBNk"};
}

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "poe-hostkey-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::string write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path) << text;
    return path.string();
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

HostKeyPolicy make(HostKeyCheck check, std::string known_hosts, std::string fingerprint = {}) {
    auto policy = HostKeyPolicy::create({check, std::move(known_hosts), std::move(fingerprint)});
    EXPECT_TRUE(policy.ok()) << policy.error().message;
    return std::move(policy).value();
}

TEST(HostKeyPolicy, StrictNeedsSomethingToCheckAgainst) {
    auto policy = HostKeyPolicy::create({HostKeyCheck::strict, "", ""});
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code, ErrorCode::invalid_argument);
    EXPECT_THAT(policy.error().message, HasSubstr("known_hosts"));
    EXPECT_THAT(policy.error().message, HasSubstr("poectl trust"));
}

TEST(HostKeyPolicy, AcceptNewNeedsAFile) {
    auto policy = HostKeyPolicy::create({HostKeyCheck::accept_new, "", key_a().fingerprint});
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code, ErrorCode::invalid_argument);
}

TEST(HostKeyPolicy, RejectsMalformedFingerprint) {
    auto policy = HostKeyPolicy::create({HostKeyCheck::strict, "", "MD5:aa:bb"});
    ASSERT_FALSE(policy.ok());
    EXPECT_THAT(policy.error().message, HasSubstr("host_key_fingerprint"));
}

TEST(HostKeyPolicy, PinnedFingerprintDecides) {
    const auto policy = make(HostKeyCheck::strict, "", key_a().fingerprint + "=");  // padding tolerated
    EXPECT_TRUE(policy.verify("10.0.0.2", 22, key_a()).ok());
    auto refused = policy.verify("10.0.0.2", 22, key_b());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(refused.error().message, HasSubstr(key_b().fingerprint));
}

TEST(HostKeyPolicy, PlainEntryWithPortMatches) {
    TempDir dir;
    const auto path = write_file(dir.file("known_hosts"), "# comment\n\n[127.0.0.1]:2222 " + key_a().type +
                                                              " " + key_a().base64 + " comment words\n");
    const auto policy = make(HostKeyCheck::strict, path);
    EXPECT_TRUE(policy.verify("127.0.0.1", 2222, key_a()).ok());
    // Port 22 is a different name in known_hosts: unknown, so refused.
    auto other_port = policy.verify("127.0.0.1", 22, key_a());
    ASSERT_FALSE(other_port.ok());
    EXPECT_THAT(other_port.error().message, HasSubstr("unknown"));
}

TEST(HostKeyPolicy, HashedEntriesMatch) {
    TempDir dir;
    const auto path =
        write_file(dir.file("known_hosts"),
                   "|1|AAECAwQFBgcICQoLDA0ODxAREhM=|zKYaAqmSav3Qxr2sffNqWFIcbe4= " + key_a().type + " " +
                       key_a().base64 + "\n" +
                       "|1|AAECAwQFBgcICQoLDA0ODxAREhM=|kNUgFwETD0U4FQQzEb8dvUHDCng= " + key_b().type + " " +
                       key_b().base64 + "\n");
    const auto policy = make(HostKeyCheck::strict, path);
    EXPECT_TRUE(policy.verify("127.0.0.1", 2222, key_a()).ok());
    EXPECT_TRUE(policy.verify("switch1.lab", 22, key_b()).ok());
    EXPECT_FALSE(policy.verify("switch2.lab", 22, key_b()).ok());
}

TEST(HostKeyPolicy, PatternsAndNegation) {
    TempDir dir;
    const auto path = write_file(dir.file("known_hosts"),
                                 "sw-*.lab,!sw-evil.lab " + key_a().type + " " + key_a().base64 + "\n");
    const auto policy = make(HostKeyCheck::strict, path);
    EXPECT_TRUE(policy.verify("SW-1.lab", 22, key_a()).ok());
    EXPECT_FALSE(policy.verify("sw-evil.lab", 22, key_a()).ok());
}

TEST(HostKeyPolicy, ChangedKeyNamesFingerprintAndFileLine) {
    TempDir dir;
    const auto path = write_file(dir.file("known_hosts"), "other " + key_b().type + " " + key_b().base64 +
                                                              "\n" + "[127.0.0.1]:2222 " + key_a().type +
                                                              " " + key_a().base64 + "\n");
    const auto policy = make(HostKeyCheck::accept_new, path);
    auto refused = policy.verify("127.0.0.1", 2222, key_b());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(refused.error().message, HasSubstr(key_b().fingerprint));
    EXPECT_THAT(refused.error().message, HasSubstr(path + ":2"));
    EXPECT_EQ(read_file(path).find("[127.0.0.1]:2222 " + key_b().type + " " + key_b().base64),
              std::string::npos);
}

TEST(HostKeyPolicy, RevokedKeyIsRefused) {
    TempDir dir;
    const auto path =
        write_file(dir.file("known_hosts"), "@revoked * " + key_a().type + " " + key_a().base64 + "\n" +
                                                "sw1 " + key_a().type + " " + key_a().base64 + "\n");
    const auto policy = make(HostKeyCheck::strict, path);
    auto refused = policy.verify("sw1", 22, key_a());
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.error().message, HasSubstr("@revoked"));
}

TEST(HostKeyPolicy, StrictRefusesUnknownAndMissingFile) {
    TempDir dir;
    const auto policy = make(HostKeyCheck::strict, dir.file("missing").string());
    auto refused = policy.verify("sw1", 22, key_a());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(refused.error().message, HasSubstr(key_a().fingerprint));
    EXPECT_FALSE(std::filesystem::exists(dir.file("missing")));
}

TEST(HostKeyPolicy, AcceptNewRecordsThenAcceptsThenRefusesAChange) {
    TempDir dir;
    const auto path =
        write_file(dir.file("known_hosts"), "other " + key_b().type + " " + key_b().base64);  // no final LF
    const auto policy = make(HostKeyCheck::accept_new, path);
    ASSERT_TRUE(policy.verify("127.0.0.1", 2200, key_a()).ok());
    EXPECT_EQ(read_file(path), "other " + key_b().type + " " + key_b().base64 + "\n[127.0.0.1]:2200 " +
                                   key_a().type + " " + key_a().base64 + "\n");
    ASSERT_TRUE(policy.verify("127.0.0.1", 2200, key_a()).ok());
    auto changed = policy.verify("127.0.0.1", 2200, key_b());
    ASSERT_FALSE(changed.ok());
    EXPECT_EQ(changed.error().code, ErrorCode::host_key_mismatch);
    EXPECT_THAT(changed.error().message, HasSubstr(path + ":2"));
    EXPECT_EQ(policy.known_key_types("127.0.0.1", 2200), std::vector<std::string>{"ssh-ed25519"});
}

TEST(HostKeyPolicy, AcceptNewCreatesTheFile) {
    TempDir dir;
    const auto path = dir.file("new_known_hosts").string();
    const auto policy = make(HostKeyCheck::accept_new, path);
    ASSERT_TRUE(policy.verify("sw1", 22, key_a()).ok());
    EXPECT_EQ(read_file(path), "sw1 " + key_a().type + " " + key_a().base64 + "\n");
}

TEST(HostKeyPolicy, OffAcceptsAndWarnsEveryTime) {
    std::mutex mutex;
    int warnings = 0;
    poe::set_log_sink([&](poe::LogLevel level, std::string_view message) {
        std::lock_guard lock(mutex);
        if (level == poe::LogLevel::warn && message.find(key_a().fingerprint) != std::string_view::npos) {
            ++warnings;
        }
    });
    const auto policy = make(HostKeyCheck::off, "");
    EXPECT_TRUE(policy.verify("sw1", 22, key_a()).ok());
    EXPECT_TRUE(policy.verify("sw1", 22, key_a()).ok());
    poe::set_log_sink({});
    EXPECT_EQ(warnings, 2);
}

TEST(HostKeyPolicy, ParsesPolicyNames) {
    EXPECT_EQ(poe::ios::parse_host_key_check("strict"), HostKeyCheck::strict);
    EXPECT_EQ(poe::ios::parse_host_key_check("accept-new"), HostKeyCheck::accept_new);
    EXPECT_EQ(poe::ios::parse_host_key_check("off"), HostKeyCheck::off);
    EXPECT_FALSE(poe::ios::parse_host_key_check("yes").has_value());
}

}  // namespace

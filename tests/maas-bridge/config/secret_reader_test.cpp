// SPDX-License-Identifier: Apache-2.0
#include "config/secret_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

class SecretReaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        directory_ =
            std::filesystem::temp_directory_path() / ("maas-bridge-secret-" + std::to_string(::getpid()));
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::string write(const std::string& name, const std::string& content) {
        const auto path = directory_ / name;
        std::ofstream(path, std::ios::binary) << content;
        ::chmod(path.c_str(), 0600);
        return path.string();
    }

    std::filesystem::path directory_;
};

TEST_F(SecretReaderTest, StripsOneTrailingNewline) {
    EXPECT_EQ(read_secret_file(write("a", "secret\n"))->value, "secret");
    EXPECT_EQ(read_secret_file(write("b", "secret\r\n"))->value, "secret");
    EXPECT_EQ(read_secret_file(write("c", "secret"))->value, "secret");
    EXPECT_EQ(read_secret_file(write("d", " spaced out "))->value, " spaced out ");
}

TEST_F(SecretReaderTest, ExactlyAtTheLimitIsFine) {
    EXPECT_EQ(read_secret_file(write("max", std::string(max_secret_bytes, 'k')))->value.size(),
              max_secret_bytes);
    EXPECT_FALSE(read_secret_file(write("over", std::string(max_secret_bytes + 1, 'k'))).ok());
}

TEST_F(SecretReaderTest, RefusesDirectoriesAndNul) {
    EXPECT_EQ(read_secret_file(directory_.string()).error().message,
              "secret file \"" + directory_.string() + "\": not a regular file");
    EXPECT_FALSE(read_secret_file(write("nul", std::string("a\0b", 3))).ok());
}

TEST_F(SecretReaderTest, CredentialNamesArePlainFileNames) {
    write("ok", "value");
    EXPECT_EQ(read_credential(directory_.string(), "ok")->value, "value");
    for (const char* name : {"", ".", "..", "../ok", "a/b"}) {
        EXPECT_FALSE(read_credential(directory_.string(), name).ok()) << name;
    }
}

}  // namespace
}  // namespace maas_bridge

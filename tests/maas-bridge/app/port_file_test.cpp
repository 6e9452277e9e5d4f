// SPDX-License-Identifier: Apache-2.0
#include "app/port_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace maas_bridge {
namespace {

TEST(PortFile, WritesThePortAndLeavesNoTemporary) {
    const auto directory =
        std::filesystem::temp_directory_path() / ("maas-bridge-port-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    const std::string path = (directory / "port").string();
    ASSERT_TRUE(write_port_file(path, 41234).ok());
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "41234\n");
    EXPECT_EQ(
        std::distance(std::filesystem::directory_iterator(directory), std::filesystem::directory_iterator()),
        1);

    EXPECT_FALSE(write_port_file((directory / "missing" / "port").string(), 1).ok());
    std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace maas_bridge

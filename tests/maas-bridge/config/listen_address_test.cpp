// SPDX-License-Identifier: Apache-2.0
#include "config/listen_address.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

TEST(ListenAddress, ParsesV4AndV6) {
    auto v4 = parse_listen_address("127.0.0.1:8550");
    ASSERT_TRUE(v4.ok());
    EXPECT_EQ(v4->host, "127.0.0.1");
    EXPECT_EQ(v4->port, 8550);
    EXPECT_TRUE(v4->is_loopback());

    auto v6 = parse_listen_address("[::1]:0");
    ASSERT_TRUE(v6.ok());
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, 0);
    EXPECT_TRUE(v6->is_loopback());
    EXPECT_EQ(v6->to_string(), "[::1]:0");
}

TEST(ListenAddress, LoopbackDetection) {
    EXPECT_TRUE(parse_listen_address("127.1.2.3:1")->is_loopback());
    EXPECT_TRUE(parse_listen_address("[::ffff:127.0.0.1]:1")->is_loopback());
    EXPECT_FALSE(parse_listen_address("0.0.0.0:1")->is_loopback());
    EXPECT_FALSE(parse_listen_address("[::]:1")->is_loopback());
    EXPECT_FALSE(parse_listen_address("192.0.2.1:1")->is_loopback());
}

TEST(ListenAddress, RejectsMalformed) {
    for (const char* text : {"", "8550", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:65536",
                             "::1:80", "[::1]80", "[::1", "host:80", "127.0.0.1:-1"}) {
        EXPECT_FALSE(parse_listen_address(text).ok()) << text;
    }
}

}  // namespace
}  // namespace maas_bridge

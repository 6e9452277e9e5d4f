// SPDX-License-Identifier: Apache-2.0
#include "routing/path_segment.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

TEST(PathSegment, DecodesEscapes) {
    EXPECT_EQ(decode_path_segment("Gi1%2F0%2F5").value(), "Gi1/0/5");
    EXPECT_EQ(decode_path_segment("Gi1%2f0%2f5").value(), "Gi1/0/5");
    EXPECT_EQ(decode_path_segment("pi-01").value(), "pi-01");
    EXPECT_EQ(decode_path_segment("a+b").value(), "a+b");
    EXPECT_EQ(decode_path_segment("%41").value(), "A");
}

TEST(PathSegment, RejectsBadInput) {
    for (const char* raw :
         {"%", "%2", "%zz", "%G1", "a%00b", "%0a", "%7F", "..", "%2E%2E", "a..b", ".", "%2e"}) {
        EXPECT_FALSE(decode_path_segment(raw).ok()) << raw;
    }
    EXPECT_TRUE(decode_path_segment(std::string(64, 'a')).ok());
    EXPECT_FALSE(decode_path_segment(std::string(65, 'a')).ok());
    EXPECT_FALSE(decode_path_segment(std::string(22, 'a') + std::string(43 * 3 / 3, 'b') + "%41").ok());
}

}  // namespace
}  // namespace maas_bridge

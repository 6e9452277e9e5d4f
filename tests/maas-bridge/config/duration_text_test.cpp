// SPDX-License-Identifier: Apache-2.0
#include "config/duration_text.hpp"

#include <gtest/gtest.h>

namespace maas_bridge {
namespace {

using namespace std::chrono_literals;

TEST(DurationText, ParsesUnits) {
    EXPECT_EQ(parse_duration("500ms"), 500ms);
    EXPECT_EQ(parse_duration("10s"), 10s);
    EXPECT_EQ(parse_duration("2m"), 2min);
    EXPECT_EQ(parse_duration("1h"), 1h);
    EXPECT_EQ(parse_duration("0s"), 0ms);
}

TEST(DurationText, RejectsEverythingElse) {
    for (const char* text :
         {"", "10", "s", "1.5s", "-1s", " 1s", "1s ", "1 s", "1sec", "1d", "99999999999999h"}) {
        EXPECT_FALSE(parse_duration(text).has_value()) << text;
    }
}

TEST(DurationText, FormatsShortest) {
    EXPECT_EQ(format_duration(1500ms), "1500ms");
    EXPECT_EQ(format_duration(120s), "2m");
    EXPECT_EQ(format_duration(10s), "10s");
    EXPECT_EQ(format_duration(0ms), "0ms");
}

}  // namespace
}  // namespace maas_bridge

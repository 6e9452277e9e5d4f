// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/interface_name.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace poe::ios {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string normalized(std::string_view text) {
    auto result = normalize_interface_name(text);
    EXPECT_TRUE(result.ok()) << text << ": " << result.error().message;
    return result.ok() ? *result : std::string{};
}

Error rejected(std::string_view text) {
    auto result = normalize_interface_name(text);
    EXPECT_FALSE(result.ok()) << text << " was accepted as " << (result.ok() ? *result : "");
    if (result.ok()) {
        return {};
    }
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
    return result.error();
}

TEST(InterfaceNameTest, ShortNamesAsTheSwitchPrintsThem) {
    EXPECT_EQ(normalized("Gi1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("Fa0/1"), "Fa0/1");
    EXPECT_EQ(normalized("Tw1/0/1"), "Tw1/0/1");
    EXPECT_EQ(normalized("Fi1/0/1"), "Fi1/0/1");
    EXPECT_EQ(normalized("Te1/1/4"), "Te1/1/4");
    EXPECT_EQ(normalized("Twe1/1/1"), "Twe1/1/1");
    EXPECT_EQ(normalized("Fo1/1/1"), "Fo1/1/1");
    EXPECT_EQ(normalized("Hu1/0/49"), "Hu1/0/49");
    EXPECT_EQ(normalized("Ap1/0/1"), "Ap1/0/1");
    EXPECT_EQ(normalized("Fa0/1/0"), "Fa0/1/0");
    EXPECT_EQ(normalized("Gi9/48"), "Gi9/48");
}

TEST(InterfaceNameTest, LongNamesAnyCase) {
    EXPECT_EQ(normalized("GigabitEthernet1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("gigabitethernet1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("GIGABITETHERNET1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("FastEthernet0/1"), "Fa0/1");
    EXPECT_EQ(normalized("TwoGigabitEthernet1/0/1"), "Tw1/0/1");
    EXPECT_EQ(normalized("FiveGigabitEthernet1/0/2"), "Fi1/0/2");
    EXPECT_EQ(normalized("TenGigabitEthernet1/1/1"), "Te1/1/1");
    EXPECT_EQ(normalized("TwentyFiveGigE1/1/1"), "Twe1/1/1");
    EXPECT_EQ(normalized("TwentyFiveGigabitEthernet1/1/1"), "Twe1/1/1");
    EXPECT_EQ(normalized("FortyGigabitEthernet1/1/2"), "Fo1/1/2");
    EXPECT_EQ(normalized("HundredGigE1/0/49"), "Hu1/0/49");
    EXPECT_EQ(normalized("AppGigabitEthernet1/0/1"), "Ap1/0/1");
}

TEST(InterfaceNameTest, ShortNamesWinOverPrefixAmbiguity) {
    // "Tw" prefixes TwoGigabit and TwentyFiveGigE, "Fi" FiveGigabit only
    // among long names but is also IOS's short name: IOS's meaning wins.
    EXPECT_EQ(normalized("tw1/0/1"), "Tw1/0/1");
    EXPECT_EQ(normalized("TWE1/0/1"), "Twe1/0/1");
    EXPECT_EQ(normalized("fi1/0/1"), "Fi1/0/1");
    EXPECT_EQ(normalized("te1/0/1"), "Te1/0/1");
    EXPECT_EQ(normalized("fo1/0/1"), "Fo1/0/1");
    EXPECT_EQ(normalized("fa0/1"), "Fa0/1");
}

TEST(InterfaceNameTest, UniquePrefixes) {
    EXPECT_EQ(normalized("g1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("gig1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("Giga1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("two1/0/1"), "Tw1/0/1");
    EXPECT_EQ(normalized("twen1/0/1"), "Twe1/0/1");
    EXPECT_EQ(normalized("ten1/0/1"), "Te1/0/1");
    EXPECT_EQ(normalized("fiv1/0/1"), "Fi1/0/1");
    EXPECT_EQ(normalized("fas0/1"), "Fa0/1");
    EXPECT_EQ(normalized("for1/1/1"), "Fo1/1/1");
    EXPECT_EQ(normalized("h1/0/1"), "Hu1/0/1");
    EXPECT_EQ(normalized("HundredGigabit1/0/1"), "Hu1/0/1");
    EXPECT_EQ(normalized("a1/0/1"), "Ap1/0/1");
}

TEST(InterfaceNameTest, LeadingZerosAreNormalised) {
    // Configs map pi-(\d+) to Gi1/0/{1}, so "pi-05" arrives as Gi1/0/05.
    EXPECT_EQ(normalized("Gi1/0/05"), "Gi1/0/5");
    EXPECT_EQ(normalized("Gi01/00/005"), "Gi1/0/5");
    EXPECT_EQ(normalized("Gi1/0/0"), "Gi1/0/0");
    EXPECT_EQ(normalized("Gi0/00"), "Gi0/0");
}

TEST(InterfaceNameTest, BlanksBetweenTypeAndNumbersAndAround) {
    EXPECT_EQ(normalized("Gi 1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("GigabitEthernet  1/0/5"), "Gi1/0/5");
    EXPECT_EQ(normalized("  gi1/0/5\t"), "Gi1/0/5");
    EXPECT_EQ(normalized("Gi\t1/0/5"), "Gi1/0/5");
}

TEST(InterfaceNameTest, NumberPartCounts) {
    EXPECT_EQ(normalized("Fa0"), "Fa0");
    EXPECT_EQ(normalized("Gi1/2/3/4"), "Gi1/2/3/4");
    EXPECT_EQ(normalized("Gi9999/9999"), "Gi9999/9999");
}

TEST(InterfaceNameTest, ParseGivesTheParts) {
    auto name = parse_interface_name("TwoGig 2/0/07");
    ASSERT_TRUE(name.ok()) << name.error().message;
    EXPECT_EQ(name->type_short, "Tw");
    EXPECT_EQ(name->type_long, "TwoGigabitEthernet");
    EXPECT_THAT(name->numbers, ElementsAre(2U, 0U, 7U));
    EXPECT_EQ(name->short_name(), "Tw2/0/7");
    EXPECT_EQ(name->long_name(), "TwoGigabitEthernet2/0/7");

    auto twe = parse_interface_name("Twe1/0/1");
    ASSERT_TRUE(twe.ok());
    EXPECT_EQ(twe->long_name(), "TwentyFiveGigE1/0/1");
}

TEST(InterfaceNameTest, RejectsEmpty) {
    EXPECT_THAT(rejected("").message, HasSubstr("empty"));
    EXPECT_THAT(rejected("   ").message, HasSubstr("empty"));
}

TEST(InterfaceNameTest, RejectsUnknownType) {
    EXPECT_THAT(rejected("Eth1/0/1").message, HasSubstr("unknown interface type \"Eth\""));
    EXPECT_THAT(rejected("Vlan1").message, HasSubstr("unknown interface type"));
    EXPECT_THAT(rejected("Po1").message, HasSubstr("unknown interface type"));
    EXPECT_THAT(rejected("GigabitEthernetX1/0/1").message, HasSubstr("unknown interface type"));
    EXPECT_THAT(rejected("1/0/5").message, HasSubstr("does not start with an interface type"));
    EXPECT_THAT(rejected("pi-05").message, HasSubstr("unknown interface type \"pi\""));
}

TEST(InterfaceNameTest, RejectsAmbiguousPrefix) {
    const Error t = rejected("T1/0/1");
    EXPECT_THAT(t.message, HasSubstr("ambiguous interface type \"T\""));
    EXPECT_THAT(t.message, HasSubstr("TwoGigabitEthernet"));
    EXPECT_THAT(t.message, HasSubstr("TenGigabitEthernet"));
    EXPECT_THAT(t.message, HasSubstr("TwentyFiveGigE"));
    EXPECT_THAT(rejected("F0/1").message, HasSubstr("ambiguous"));
    EXPECT_EQ(normalized("Twenty1/0/1"), "Twe1/0/1") << "Twenty is a unique prefix";
}

TEST(InterfaceNameTest, RejectsMissingOrMalformedNumbers) {
    EXPECT_THAT(rejected("Gi").message, HasSubstr("missing port numbers"));
    EXPECT_THAT(rejected("GigabitEthernet ").message, HasSubstr("missing port numbers"));
    EXPECT_THAT(rejected("Gi1/0/x").message, HasSubstr("unexpected character \"x\""));
    EXPECT_THAT(rejected("Gi1/0/5a").message, HasSubstr("unexpected character"));
    EXPECT_THAT(rejected("Gi1/ 0/5").message, HasSubstr("blank inside"));
    EXPECT_THAT(rejected("Gi1 /0/5").message, HasSubstr("blank inside"));
    EXPECT_THAT(rejected("Gi 1/0/5 6").message, HasSubstr("blank inside"));
    EXPECT_THAT(rejected("Gi/1/0/5").message, HasSubstr("start with '/'"));
    EXPECT_THAT(rejected("Gi1/0/5/").message, HasSubstr("end with '/'"));
    EXPECT_THAT(rejected("Gi1//5").message, HasSubstr("empty number"));
    EXPECT_THAT(rejected("Gi1/0/5..7").message, HasSubstr("unexpected character \".\""));
    EXPECT_THAT(rejected("Gi1/0/5.100").message, HasSubstr("unexpected character"));
    EXPECT_THAT(rejected("Gi1/0/-5").message, HasSubstr("unexpected character \"-\""));
    EXPECT_THAT(rejected("Gi1/0/+5").message, HasSubstr("unexpected character"));
    EXPECT_THAT(rejected("Gi1/2/3/4/5").message, HasSubstr("more than 4 numbers"));
    EXPECT_THAT(rejected("Gi10000/1").message, HasSubstr("larger than 9999"));
    EXPECT_THAT(rejected("Gi1/0/99999999999999999999").message, HasSubstr("larger than 9999"));
}

TEST(InterfaceNameTest, RejectsOverlongNamesWithoutEchoingThemWhole) {
    const std::string long_name = "GigabitEthernet1/0/" + std::string(60, '0') + "5";
    const Error error = rejected(long_name);
    EXPECT_THAT(error.message, HasSubstr("longer than 64 bytes"));
    EXPECT_LT(error.message.size(), 200U);
    EXPECT_EQ(normalized("GigabitEthernet1/0/" + std::string(40, '0') + "5"), "Gi1/0/5");
}

TEST(InterfaceNameTest, MessagesKeepControlCharactersOut) {
    const Error error = rejected(std::string("Gi1/0/5\n\x1b[2J", 12));
    EXPECT_EQ(error.message.find('\n'), std::string::npos);
    EXPECT_EQ(error.message.find('\x1b'), std::string::npos);
    rejected(std::string("Gi1\0/0/5", 8));
}

TEST(PortSpecTest, ExpandsRangesInOrder) {
    auto ports = expand_port_spec("Gi1/0/1-3,Gi2/0/47-48,Te1/1/1-2");
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    EXPECT_THAT(*ports,
                ElementsAre("Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Gi2/0/47", "Gi2/0/48", "Te1/1/1", "Te1/1/2"));
}

TEST(PortSpecTest, FullStackSpec) {
    auto ports = expand_port_spec("Gi1/0/1-48,Gi2/0/1-48,Te1/1/1-4");
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    ASSERT_EQ(ports->size(), 100U);
    EXPECT_EQ(ports->front(), "Gi1/0/1");
    EXPECT_EQ((*ports)[47], "Gi1/0/48");
    EXPECT_EQ((*ports)[48], "Gi2/0/1");
    EXPECT_EQ(ports->back(), "Te1/1/4");
}

TEST(PortSpecTest, SinglePortsBlanksAndLongNames) {
    auto ports = expand_port_spec(" gi1/0/05 , GigabitEthernet1/0/7 - 8,Fa0/1 ");
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    EXPECT_THAT(*ports, ElementsAre("Gi1/0/5", "Gi1/0/7", "Gi1/0/8", "Fa0/1"));
    auto one = expand_port_spec("Gi1/0/4-4");
    ASSERT_TRUE(one.ok());
    EXPECT_THAT(*one, ElementsAre("Gi1/0/4"));
}

TEST(PortSpecTest, DuplicatesAppearOnce) {
    auto ports = expand_port_spec("Gi1/0/1-3,Gi1/0/2,gi1/0/03");
    ASSERT_TRUE(ports.ok());
    EXPECT_THAT(*ports, ElementsAre("Gi1/0/1", "Gi1/0/2", "Gi1/0/3"));
}

TEST(PortSpecTest, CapsThePortCount) {
    auto ok = expand_port_spec("Gi1/0/0-9999");
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok->size(), 10000U);
    auto too_many = expand_port_spec("Gi1/0/0-9999,Gi2/0/1");
    ASSERT_FALSE(too_many.ok());
    EXPECT_EQ(too_many.error().code, ErrorCode::invalid_argument);
    EXPECT_THAT(too_many.error().message, HasSubstr("more than 10000 ports"));
}

TEST(PortSpecTest, RejectsMalformedSpecs) {
    for (const char* spec :
         {"", "  ", ",", "Gi1/0/1,", ",Gi1/0/1", "Gi1/0/1,,Gi1/0/2", "Gi1/0/5-3", "Gi1/0/1-", "Gi1/0/1-x",
          "Gi1/0/1-2-3", "Gi1/0/1-Gi1/0/4", "-4", "Xx1/0/1-4", "Gi1/0/1-10000", "T1/0/1-2", "Gi1/0/1 2"}) {
        auto result = expand_port_spec(spec);
        EXPECT_FALSE(result.ok()) << "accepted: " << spec;
        if (!result.ok()) {
            EXPECT_EQ(result.error().code, ErrorCode::invalid_argument) << spec;
            EXPECT_FALSE(result.error().message.empty());
        }
    }
    EXPECT_THAT(expand_port_spec("Gi1/0/5-3").error().message, HasSubstr("backwards"));
    EXPECT_THAT(expand_port_spec("Gi1/0/1,,Gi1/0/2").error().message, HasSubstr("empty item"));
}

TEST(PortSpecTest, RejectsOverlongSpec) {
    std::string spec = "Gi1/0/1";
    while (spec.size() <= max_port_spec_length) {
        spec += ",Gi1/0/1";
    }
    auto result = expand_port_spec(spec);
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(result.error().message, HasSubstr("longer than"));
}

}  // namespace
}  // namespace poe::ios

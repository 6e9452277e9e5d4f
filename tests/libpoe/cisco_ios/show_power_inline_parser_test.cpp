// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/show_power_inline_parser.hpp"

#include "ios_xe_stack_output.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace poe::ios {
namespace {

using ::testing::HasSubstr;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(POE_FIXTURES_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing fixture " << name;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<PortStatus> parse_ok(const std::string& text) {
    auto result = parse_show_power_inline(text);
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? *result : std::vector<PortStatus>{};
}

std::vector<PortStatus> parse_fixture(const std::string& name) {
    SCOPED_TRACE(name);
    return parse_ok(fixture(name));
}

Error parse_fails(const std::string& text, ErrorCode code = ErrorCode::parse_error) {
    auto result = parse_show_power_inline(text);
    EXPECT_FALSE(result.ok()) << "parsed " << (result.ok() ? result->size() : 0U) << " ports from:\n" << text;
    if (result.ok()) {
        return {};
    }
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_FALSE(result.error().message.empty());
    EXPECT_LE(result.error().device_text.size(), 8U * 1024U);
    return result.error();
}

PortStatus port(std::string name, AdminMode admin, OperState oper, std::string oper_text, double watts,
                std::string device, std::string poe_class, std::optional<double> max_watts) {
    PortStatus status;
    status.name = std::move(name);
    status.admin = admin;
    status.oper = oper;
    status.oper_text = std::move(oper_text);
    status.watts = watts;
    status.device = std::move(device);
    status.poe_class = std::move(poe_class);
    status.max_watts = max_watts;
    return status;
}

// Shorthands for the common shapes.
PortStatus empty_port(std::string name, std::optional<double> max_watts) {
    return port(std::move(name), AdminMode::automatic, OperState::off, "off", 0.0, "", "", max_watts);
}
PortStatus powered(std::string name, double watts, std::string device, std::string poe_class,
                   std::optional<double> max_watts) {
    return port(std::move(name), AdminMode::automatic, OperState::on, "on", watts, std::move(device),
                std::move(poe_class), max_watts);
}

const PortStatus* find(const std::vector<PortStatus>& ports, const std::string& name) {
    for (const auto& p : ports) {
        if (p.name == name) {
            return &p;
        }
    }
    ADD_FAILURE() << "no port " << name;
    return nullptr;
}

void expect_port(const std::vector<PortStatus>& ports, const PortStatus& expected) {
    const PortStatus* actual = find(ports, expected.name);
    if (actual == nullptr) {
        return;
    }
    EXPECT_EQ(actual->admin, expected.admin) << expected.name;
    EXPECT_EQ(actual->oper, expected.oper) << expected.name;
    EXPECT_EQ(actual->oper_text, expected.oper_text) << expected.name;
    EXPECT_DOUBLE_EQ(actual->watts, expected.watts) << expected.name;
    EXPECT_EQ(actual->device, expected.device) << expected.name;
    EXPECT_EQ(actual->poe_class, expected.poe_class) << expected.name;
    EXPECT_EQ(actual->max_watts, expected.max_watts) << expected.name;
}

std::vector<std::string> names(const std::vector<PortStatus>& ports) {
    std::vector<std::string> out;
    out.reserve(ports.size());
    for (const auto& p : ports) {
        out.push_back(p.name);
    }
    return out;
}

// ---------------------------------------------------------------- fixtures

TEST(ShowPowerInlineFixtureTest, IosXeModuleTableFaultyAndTotals) {
    const auto ports = parse_fixture("ntc_iosxe_c9k_module_faulty_totals.txt");
    ASSERT_EQ(ports.size(), 9U);
    EXPECT_EQ(ports.front().name, "Gi1/0/1");
    EXPECT_EQ(ports.back().name, "Gi1/0/13");
    expect_port(ports, powered("Gi1/0/1", 30.0, "AIR-AP1562I-E-K9", "4", 30.0));
    expect_port(ports, powered("Gi1/0/3", 30.0, "AIR-AP1562I-E-K9", "4", 30.0));
    // A row cut after the Power column: the missing fields are empty.
    expect_port(ports, empty_port("Gi1/0/4", std::nullopt));
    expect_port(ports, port("Gi1/0/5", AdminMode::automatic, OperState::faulty, "faulty", 0.0, "", "", 30.0));
    expect_port(ports, powered("Gi1/0/10", 23.2, "C9120AXE-E", "4", 30.0));
    expect_port(ports, empty_port("Gi1/0/13", 30.0));
}

TEST(ShowPowerInlineFixtureTest, IosXeSingleMemberWithFaultyPort) {
    const auto ports = parse_fixture("ntc_iosxe_module2_faulty.txt");
    EXPECT_THAT(names(ports),
                ::testing::ElementsAre("Gi2/0/21", "Gi2/0/35", "Gi2/0/36", "Gi2/0/37", "Gi2/0/38"));
    expect_port(ports, powered("Gi2/0/21", 3.8, "Ieee PD", "1", 30.0));
    expect_port(ports, powered("Gi2/0/35", 6.0, "Ieee PD", "2", 30.0));
    expect_port(ports, empty_port("Gi2/0/36", 30.0));
    expect_port(ports,
                port("Gi2/0/38", AdminMode::automatic, OperState::faulty, "faulty", 0.0, "", "", 30.0));
}

TEST(ShowPowerInlineFixtureTest, ClassicIos2960AvailableHeaderNoFinalNewline) {
    const auto ports = parse_fixture("ntc_ios12_2960_available_fa.txt");
    ASSERT_EQ(ports.size(), 7U);
    EXPECT_EQ(ports.front().name, "Fa0/1");
    EXPECT_EQ(ports.back().name, "Fa0/23");
    expect_port(ports, empty_port("Fa0/1", 15.4));
    expect_port(ports, powered("Fa0/2", 6.3, "IP Phone 7962", "2", 15.4));
    expect_port(ports, powered("Fa0/4", 6.3, "Ieee PD", "2", 15.4));
    expect_port(ports, powered("Fa0/21", 15.4, "C9115AXI-B", "4", 15.4));
    expect_port(ports, powered("Fa0/22", 15.4, "Ieee PD", "4", 15.4));
    expect_port(ports, empty_port("Fa0/23", 15.4));
}

TEST(ShowPowerInlineFixtureTest, IosXe16ThreeMemberStack) {
    const auto ports = parse_fixture("ntc_iosxe16_12_3stack_gi.txt");
    ASSERT_EQ(ports.size(), 15U);
    EXPECT_EQ(ports.front().name, "Gi1/0/1");
    EXPECT_EQ(ports[6].name, "Gi2/0/1");
    EXPECT_EQ(ports[10].name, "Gi3/0/28");
    EXPECT_EQ(ports.back().name, "Gi3/0/48");
    expect_port(ports, empty_port("Gi1/0/1", 30.0));
    expect_port(ports, powered("Gi1/0/15", 30.0, "Ieee PD", "4", 30.0));
    // Cisco pre-standard phone: no IEEE class.
    expect_port(ports, powered("Gi1/0/16", 6.3, "IP Phone 7960", "", 30.0));
    expect_port(ports, powered("Gi1/0/38", 22.5, "AIR-AP2802I-B-K9", "4", 30.0));
    expect_port(ports, powered("Gi2/0/2", 6.3, "IP Phone 7942", "2", 30.0));
    expect_port(ports, powered("Gi3/0/36", 12.0, "IP Phone 7975", "3", 30.0));
    expect_port(ports, powered("Gi3/0/48", 6.3, "IP Phone 7962", "2", 30.0));
}

TEST(ShowPowerInlineFixtureTest, IosXe17TwoGigAndTenGigStackWithTotals) {
    const auto ports = parse_fixture("ntc_iosxe17_12_2stack_tw_te.txt");
    ASSERT_EQ(ports.size(), 10U);
    EXPECT_EQ(ports.front().name, "Tw1/0/1");
    EXPECT_EQ(ports[5].name, "Te1/0/48");
    EXPECT_EQ(ports[6].name, "Tw2/0/11");
    EXPECT_EQ(ports.back().name, "Te2/0/48");
    expect_port(ports, empty_port("Tw1/0/1", 60.0));
    expect_port(ports, powered("Tw1/0/6", 15.4, "Ieee PD", "3", 60.0));
    expect_port(ports, powered("Tw1/0/35", 6.3, "IP Phone 7940", "", 60.0));
    expect_port(ports, powered("Te1/0/48", 22.5, "AIR-AP2802I-B-K9", "4", 60.0));
    expect_port(ports, powered("Tw2/0/14", 18.9, "Ieee PD", "4", 60.0));
    expect_port(ports, powered("Te2/0/48", 22.5, "AIR-AP2802I-B-K9", "4", 60.0));
}

TEST(ShowPowerInlineFixtureTest, Catalyst4500FullLineCardUsesToDeviceWatts) {
    const auto ports = parse_fixture("ntc_cat4500_48port_module9.txt");
    ASSERT_EQ(ports.size(), 48U);
    for (unsigned n = 1; n <= 48; ++n) {
        EXPECT_EQ(ports[n - 1].name, "Gi9/" + std::to_string(n));
    }
    // From PS 17.7, To Device 16.8: the device's figure is the one reported.
    expect_port(ports, powered("Gi9/1", 16.8, "AIR-CAP3702I-C-K9", "4", std::nullopt));
    expect_port(ports, powered("Gi9/2", 15.4, "Ieee PD", "3", std::nullopt));
    expect_port(ports, empty_port("Gi9/3", std::nullopt));
    expect_port(ports, empty_port("Gi9/48", std::nullopt));
}

TEST(ShowPowerInlineFixtureTest, Catalyst4500WithTotals) {
    const auto ports = parse_fixture("genie_cat4500_frompS_todevice.txt");
    EXPECT_THAT(names(ports), ::testing::ElementsAre("Gi1/1", "Gi1/19", "Gi2/5", "Gi5/48"));
    expect_port(ports, empty_port("Gi1/1", std::nullopt));
    expect_port(ports, powered("Gi1/19", 15.4, "CTS-CODEC-inTouch", "0", std::nullopt));
    expect_port(ports, powered("Gi2/5", 10.5, "IP Phone 7937", "3", std::nullopt));
    expect_port(ports, powered("Gi5/48", 26.1, "AIR-AP2802I-B-K9", "4", std::nullopt));
}

TEST(ShowPowerInlineFixtureTest, Catalyst6880EmptyPriorityTableIsZeroPorts) {
    EXPECT_TRUE(parse_fixture("ntc_cat6880x_priority_empty.txt").empty());
}

TEST(ShowPowerInlineFixtureTest, Catalyst6513PriorityPoliceAndAdminOff) {
    const auto ports = parse_fixture("ntc_cat6513_priority_police_admin_off.txt");
    ASSERT_EQ(ports.size(), 3U);
    EXPECT_EQ(ports.front().name, "Gi4/1");
    EXPECT_EQ(ports.back().name, "Gi4/3");
    // Interface and Admin share one ruler span here; To PD is the watts.
    expect_port(ports, powered("Gi4/1", 6.3, "Cisco IP Phone 7941", "2", std::nullopt));
    expect_port(ports, port("Gi4/2", AdminMode::never, OperState::off, "off", 0.0, "", "", std::nullopt));
    expect_port(ports, empty_port("Gi4/3", std::nullopt));
}

TEST(ShowPowerInlineFixtureTest, Catalyst6509PoliceActualConsumption) {
    const auto ports = parse_fixture("ntc_cat6509_police_actualconsumption.txt");
    ASSERT_EQ(ports.size(), 3U);
    EXPECT_EQ(ports.front().name, "Gi7/1");
    EXPECT_EQ(ports.back().name, "Gi7/3");
    for (const char* name : {"Gi7/1", "Gi7/2", "Gi7/3"}) {
        expect_port(ports, empty_port(name, std::nullopt));
    }
}

TEST(ShowPowerInlineFixtureTest, Catalyst6807NoInlinePowerCardIsUnsupported) {
    const Error error = parse_fails(fixture("ntc_cat6807xl_no_inline_card.txt"), ErrorCode::unsupported);
    EXPECT_THAT(error.message, HasSubstr("switch has no inline power"));
    EXPECT_THAT(error.device_text, HasSubstr("%No inline power card on switch"));
}

TEST(ShowPowerInlineFixtureTest, StandaloneAvailableHeaderGi0) {
    const auto ports = parse_fixture("genie_ios_available_single_gi0.txt");
    EXPECT_THAT(names(ports), ::testing::ElementsAre("Gi0/1", "Gi0/2", "Gi0/3", "Gi0/4"));
    expect_port(ports, empty_port("Gi0/1", 30.0));
    expect_port(ports, powered("Gi0/2", 6.4, "IP Phone 8945", "2", 30.0));
    expect_port(ports, powered("Gi0/3", 6.4, "IP Phone 8845", "2", 30.0));
    expect_port(ports, empty_port("Gi0/4", 30.0));
}

TEST(ShowPowerInlineFixtureTest, SinglePortPowerDenyCrlfIgnoresAdminPowerMaxTable) {
    const auto ports = parse_fixture("genie_show_power_inline_Gi1-16_power_deny_adminpowermax.txt");
    ASSERT_EQ(ports.size(), 1U);
    expect_port(ports,
                port("Gi1/16", AdminMode::automatic, OperState::power_deny, "power-deny", 0.0, "", "", 4.0));
}

TEST(ShowPowerInlineFixtureTest, SinglePort3850) {
    const auto ports = parse_fixture("genie_c3850_show_power_inline_Gi1-0-13.txt");
    ASSERT_EQ(ports.size(), 1U);
    expect_port(ports, powered("Gi1/0/13", 15.4, "AIR-CAP2602I-A-K9", "3", 30.0));
}

TEST(ShowPowerInlineFixtureTest, AvailableZeroEmptyTableIsZeroPorts) {
    EXPECT_TRUE(parse_fixture("genie_available_zero_no_ports.txt").empty());
}

TEST(ShowPowerInlineFixtureTest, ModuleOutputWithCommandEchoStaticPowerDeny) {
    const auto ports = parse_fixture("genie_show_power_inline_module_1_static_power_deny.txt");
    ASSERT_EQ(ports.size(), 24U);
    for (unsigned n = 1; n <= 24; ++n) {
        EXPECT_EQ(ports[n - 1].name, "Gi1/0/" + std::to_string(n));
    }
    expect_port(ports, empty_port("Gi1/0/1", 30.0));
    expect_port(ports, empty_port("Gi1/0/23", 30.0));
    expect_port(ports, port("Gi1/0/24", AdminMode::static_power, OperState::power_deny, "power-deny", 6.9, "",
                            "", 6.9));
}

TEST(ShowPowerInlineFixtureTest, Module4PhonesAndCameras) {
    const auto ports = parse_fixture("genie_show_power_inline_module_4.txt");
    ASSERT_EQ(ports.size(), 24U);
    EXPECT_EQ(ports.front().name, "Gi4/0/1");
    EXPECT_EQ(ports.back().name, "Gi4/0/24");
    expect_port(ports, empty_port("Gi4/0/1", 60.0));
    expect_port(ports, powered("Gi4/0/5", 15.4, "CIVS-IPC-6000P", "0", 60.0));
    expect_port(ports, powered("Gi4/0/8", 6.3, "IP Phone 8841", "2", 60.0));
    expect_port(ports, powered("Gi4/0/12", 15.4, "CIVS-IPC-4300", "3", 60.0));
    expect_port(ports, powered("Gi4/0/13", 3.8, "IP Phone 6945", "1", 60.0));
    expect_port(ports, empty_port("Gi4/0/16", 60.0));
    expect_port(ports, powered("Gi4/0/24", 12.0, "IP Phone 7965", "3", 60.0));
    std::size_t on = 0;
    for (const auto& p : ports) {
        on += p.delivering() ? 1U : 0U;
    }
    EXPECT_EQ(on, 11U) << "Totals line says 11 on";
}

// ISR EtherSwitch modules print a different table (Config / Device /
// Powered / PowerAllocated, "0.000 Watts"). The captures only show
// unpowered ports, so a mapping of "Powered"/"Config" values would be a
// guess: these are parse errors, with the raw text.
TEST(ShowPowerInlineFixtureTest, IsrEtherSwitchLayoutsAreParseErrors) {
    for (const char* name :
         {"ntc_isr_c2811_etherswitch_config_device_powered.txt", "ntc_isr2900_etherswitch_rps_note.txt"}) {
        SCOPED_TRACE(name);
        const std::string text = fixture(name);
        const Error error = parse_fails(text);
        EXPECT_THAT(error.message, HasSubstr("line 4"));
        EXPECT_THAT(error.message, HasSubstr("\"Config\""));
        EXPECT_EQ(error.device_text, text);
    }
}

// Other `show power inline ...` commands have their own layouts; fed to
// this parser they must fail, not yield made-up ports.
TEST(ShowPowerInlineFixtureTest, OtherPoeCommandsAreParseErrors) {
    for (const char* name :
         {"genie_detail_0.txt", "genie_detail_1.txt", "genie_detail_2.txt", "genie_detail_3.txt",
          "genie_detail_4.txt", "genie_priority_1.txt", "genie_priority_2.txt", "genie_police_module.txt",
          "genie_consumption.txt", "genie_upoe_plus_1.txt", "genie_upoe_plus_2_lldp_shutdown.txt",
          "netmiko_ios881_session_show.log"}) {
        SCOPED_TRACE(name);
        parse_fails(fixture(name));
    }
}

TEST(ShowPowerInlineFixtureTest, SessionLogWithInvalidInputIsDeviceRejected) {
    const Error error =
        parse_fails(fixture("netmiko_ios881_session_invalid_input_echo.log"), ErrorCode::device_rejected);
    EXPECT_THAT(error.message, HasSubstr("Invalid input detected"));
}

// ------------------------------------------------------------ robustness

const char* const ios_xe_header =
    "Interface Admin  Oper       Power   Device              Class Max\n"
    "                            (Watts)                            \n"
    "--------- ------ ---------- ------- ------------------- ----- ----\n";

TEST(ShowPowerInlineTest, CrlfAndStrayCarriageReturns) {
    std::string text = fixture("ntc_iosxe16_12_3stack_gi.txt");
    std::string crlf;
    for (const char c : text) {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    EXPECT_EQ(parse_ok(crlf), parse_fixture("ntc_iosxe16_12_3stack_gi.txt"));

    std::string double_cr;
    for (const char c : text) {
        double_cr += c == '\n' ? std::string("\r\r\n") : std::string(1, c);
    }
    EXPECT_EQ(parse_ok(double_cr), parse_fixture("ntc_iosxe16_12_3stack_gi.txt"));

    const auto ports = parse_ok(std::string(ios_xe_header) +
                                "Gi1/0/2   auto   on         6.3     IP Phone 7962       2     30.0 \r\n\r"
                                "Gi1/0/3   auto   off        0.0     n/a                 n/a   30.0\r");
    ASSERT_EQ(ports.size(), 2U);
    expect_port(ports, powered("Gi1/0/2", 6.3, "IP Phone 7962", "2", 30.0));
    expect_port(ports, empty_port("Gi1/0/3", 30.0));
}

TEST(ShowPowerInlineTest, TabsExpandToEightColumnStops) {
    const auto ports = parse_ok(std::string(ios_xe_header) +
                                "Gi1/0/2\t  auto   on\t    6.3\t    IP Phone 7962\t2     30.0\t\n");
    ASSERT_EQ(ports.size(), 1U);
    expect_port(ports, powered("Gi1/0/2", 6.3, "IP Phone 7962", "2", 30.0));
}

TEST(ShowPowerInlineTest, OverflowingValuesStayInTheirColumn) {
    // IOS pads with printf widths: a long Oper word pushes the rest right.
    const auto ports = parse_ok(std::string(ios_xe_header) +
                                "Tw1/0/25  auto   lldp-shutdown 0.0     n/a                 n/a   60.0\n"
                                "Gi1/0/7   auto   on         6.3     Cisco IP Phone 79410 2     30.0\n"
                                "Gi1/0/8   auto   on         12.95   IP Phone 7975       3     30.0\n");
    ASSERT_EQ(ports.size(), 3U);
    expect_port(ports,
                port("Tw1/0/25", AdminMode::automatic, OperState::other, "lldp-shutdown", 0.0, "", "", 60.0));
    expect_port(ports, powered("Gi1/0/7", 6.3, "Cisco IP Phone 79410", "2", 30.0));
    expect_port(ports, powered("Gi1/0/8", 12.95, "IP Phone 7975", "3", 30.0));
}

TEST(ShowPowerInlineTest, UnknownOperWordsAreKeptAsOther) {
    const auto ports = parse_ok(std::string(ios_xe_header) +
                                "Gi1/0/9   auto   err-disable 0.0    n/a                 n/a   30.0\n");
    ASSERT_EQ(ports.size(), 1U);
    EXPECT_EQ(ports[0].oper, OperState::other);
    EXPECT_EQ(ports[0].oper_text, "err-disable");
}

TEST(ShowPowerInlineTest, LongNamesInRowsAreNormalised) {
    const auto ports = parse_ok(std::string(ios_xe_header) +
                                "Gi1/0/05  auto   off        0.0     n/a                 n/a   30.0\n");
    ASSERT_EQ(ports.size(), 1U);
    EXPECT_EQ(ports[0].name, "Gi1/0/5");
}

TEST(ShowPowerInlineTest, TrailingAdvisoryTextIsIgnored) {
    const auto ports =
        parse_ok(fixture("genie_c3850_show_power_inline_Gi1-0-13.txt") +
                 "\nEthernet Switch Network Modules with PoE support should be reloaded to function \n"
                 " properly upon PoE Power Supply OIR insertion/removal.\n");
    ASSERT_EQ(ports.size(), 1U);
}

TEST(ShowPowerInlineTest, PortRowAfterTextIsNeverDropped) {
    const Error error = parse_fails(fixture("genie_c3850_show_power_inline_Gi1-0-13.txt") +
                                    "Some note the switch printed\n"
                                    "Gi1/0/14  auto   on         15.4    AIR-CAP2602I-A-K9   3     30.0\n");
    EXPECT_THAT(error.message, HasSubstr("line 6"));
    EXPECT_THAT(error.message, HasSubstr("not inside a port table"));
}

TEST(ShowPowerInlineTest, PortRowAfterTotalsSeparatorIsNeverDropped) {
    parse_fails(std::string(ios_xe_header) +
                "Gi1/0/1   auto   off        0.0     n/a                 n/a   30.0\n"
                "--------- ------ ---------- ---------- ---------- ------ -----\n"
                "Gi1/0/2   auto   off        0.0     n/a                 n/a   30.0\n");
}

TEST(ShowPowerInlineTest, PortRowWithSpacedNameOutsideTableIsAnError) {
    parse_fails(fixture("genie_c3850_show_power_inline_Gi1-0-13.txt") + "note\nGi 1/0/14 auto on\n");
}

TEST(ShowPowerInlineTest, StackOf240PortsFromGenerator) {
    const auto stack = testing::render_ios_xe_stack(5, 48);
    const auto ports = parse_ok(stack.text);
    ASSERT_EQ(ports.size(), 240U);
    EXPECT_EQ(ports, stack.ports);
    EXPECT_EQ(ports.front().name, "Gi1/0/1");
    EXPECT_EQ(ports.back().name, "Gi5/0/48");

    const auto crlf = testing::render_ios_xe_stack(5, 48, true);
    EXPECT_EQ(parse_ok(crlf.text), stack.ports);
}

// -------------------------------------------------------------- failures

TEST(ShowPowerInlineTest, GarbageIsAParseError) {
    for (const std::string& text :
         {std::string(), std::string("\n\n"), std::string("hello world\n"),
          std::string("\x01\x02\xff garbage"), std::string("Interface Admin Oper\n")}) {
        const Error error = parse_fails(text);
        EXPECT_THAT(error.message, HasSubstr("no port table"));
        EXPECT_EQ(error.device_text, text);
    }
}

TEST(ShowPowerInlineTest, HeaderWithoutRulerIsAParseError) {
    parse_fails(
        "Interface Admin  Oper       Power   Device              Class Max\n"
        "Gi1/0/1   auto   off        0.0     n/a                 n/a   30.0\n");
}

TEST(ShowPowerInlineTest, RulerWithoutHeaderIsAParseError) {
    const Error error = parse_fails(
        "--------- ------ ---------- ------- ------------------- ----- ----\n"
        "Gi1/0/1   auto   off        0.0     n/a                 n/a   30.0\n");
    EXPECT_THAT(error.message, HasSubstr("line 1: dashed ruler without a header"));
}

TEST(ShowPowerInlineTest, TruncatedRowsAreParseErrors) {
    const Error no_oper = parse_fails(std::string(ios_xe_header) + "Gi1/0/1   auto");
    EXPECT_THAT(no_oper.message, HasSubstr("line 4: row has no Oper value"));
    const Error no_power = parse_fails(std::string(ios_xe_header) + "Gi1/0/1   auto   on   ");
    EXPECT_THAT(no_power.message, HasSubstr("row has no Power value"));
    const Error cut_number = parse_fails(std::string(ios_xe_header) + "Gi1/0/1   auto   on         6.");
    EXPECT_THAT(cut_number.message, HasSubstr("Power value \"6.\" is not a number"));
    parse_fails(std::string(ios_xe_header) + "Gi1/0/1   au");
}

TEST(ShowPowerInlineTest, ValuesInTheWrongColumnAreParseErrors) {
    const Error swapped = parse_fails(std::string(ios_xe_header) +
                                      "Gi1/0/1   auto   6.3        on      IP Phone 7962       2     30.0\n");
    EXPECT_THAT(swapped.message, HasSubstr("line 4"));
    EXPECT_THAT(swapped.message, HasSubstr("Oper value \"6.3\""));
    const Error bad_max = parse_fails(std::string(ios_xe_header) +
                                      "Gi1/0/1   auto   on         6.3     IP Phone 7962       2     on\n");
    EXPECT_THAT(bad_max.message, HasSubstr("Max value \"on\""));
    const Error bad_class = parse_fails(
        std::string(ios_xe_header) + "Gi1/0/1   auto   on         6.3     IP Phone 7962       high  30.0\n");
    EXPECT_THAT(bad_class.message, HasSubstr("Class value \"high\""));
    const Error extra =
        parse_fails(std::string(ios_xe_header) +
                    "Gi1/0/1   auto   on         6.3     IP Phone 7962       2     30.0 60.0\n");
    EXPECT_THAT(extra.message, HasSubstr("unexpected text \"30.0 60.0\" in the Max column"));
    for (const char* watts : {"-1.0   ", "nan    ", "inf    ", "1e3    ", "0x10   ", "6,3    "}) {
        parse_fails(std::string(ios_xe_header) + "Gi1/0/1   auto   on         " + watts + " n/a\n");
    }
}

TEST(ShowPowerInlineTest, UnknownAdminValueIsAParseError) {
    const Error error = parse_fails(std::string(ios_xe_header) +
                                    "Gi1/0/1   never  off        0.0     n/a                 n/a   30.0\n");
    EXPECT_THAT(error.message, HasSubstr("unknown Admin value \"never\""));
}

TEST(ShowPowerInlineTest, RowThatIsNotAPortIsAParseError) {
    const Error error = parse_fails(std::string(ios_xe_header) +
                                    "Xy1/0/1   auto   off        0.0     n/a                 n/a   30.0\n");
    EXPECT_THAT(error.message, HasSubstr("\"Xy1/0/1\" is not an interface name"));
}

TEST(ShowPowerInlineTest, UnknownOrMissingColumnsAreParseErrors) {
    const Error unknown = parse_fails(
        "Interface Admin  Oper       Power   Device              Class Budget\n"
        "--------- ------ ---------- ------- ------------------- ----- ------\n");
    EXPECT_THAT(unknown.message, HasSubstr("unrecognised column \"Budget\""));
    const Error missing = parse_fails(
        "Interface Admin  Power   Device\n"
        "--------- ------ ------- -------------------\n");
    EXPECT_THAT(missing.message, HasSubstr("no Oper column"));
    const Error twice = parse_fails(
        "Interface Admin  Oper       Oper\n"
        "--------- ------ ---------- ----------\n");
    EXPECT_THAT(twice.message, HasSubstr("two Oper columns"));
    const Error unnamed = parse_fails(
        "Interface Admin  Oper       Power\n"
        "--------- ------ ---------- ------- -----\n");
    EXPECT_THAT(unnamed.message, HasSubstr("has no header"));
}

TEST(ShowPowerInlineTest, PortListedTwiceIsAParseError) {
    const Error error = parse_fails(std::string(ios_xe_header) +
                                    "Gi1/0/1   auto   off        0.0     n/a                 n/a   30.0\n"
                                    "Gi1/0/01  auto   on         6.3     n/a                 n/a   30.0\n");
    EXPECT_THAT(error.message, HasSubstr("line 5: port Gi1/0/1 is listed twice"));
}

TEST(ShowPowerInlineTest, SwitchErrorMessages) {
    EXPECT_THAT(parse_fails("show power inlin\n                ^\n% Invalid input detected at '^' marker.\n",
                            ErrorCode::device_rejected)
                    .message,
                HasSubstr("Invalid input detected"));
    const Error syslog = parse_fails(std::string(ios_xe_header) +
                                     "%ILPOWER-5-POWER_GRANTED: Interface Gi1/0/1: Power granted\n");
    EXPECT_THAT(syslog.message, HasSubstr("unexpected switch message"));
    parse_fails("% No inline power card on switch\n", ErrorCode::unsupported);
}

TEST(ShowPowerInlineTest, OutputOverOneMebibyteIsRejected) {
    const auto stack = testing::render_ios_xe_stack(5, 48);
    std::string huge;
    while (huge.size() < std::size_t{2} * 1024 * 1024) {
        huge += stack.text;
    }
    const Error error = parse_fails(huge);
    EXPECT_THAT(error.message, HasSubstr("more than the 1 MiB limit"));
    EXPECT_LE(error.device_text.size(), 8U * 1024U);
    EXPECT_EQ(error.device_text.substr(0, 100), huge.substr(0, 100));
}

TEST(ShowPowerInlineTest, DeviceTextIsCappedAtEightKibibytes) {
    std::string text = std::string(ios_xe_header) + "Gi1/0/1   bogus\n";
    text += std::string(std::size_t{100} * 1024, 'x');
    const Error error = parse_fails(text);
    EXPECT_LE(error.device_text.size(), 8U * 1024U);
    EXPECT_THAT(error.device_text, HasSubstr("the rest not shown"));
}

// Deterministic mutations of every capture (bytes flipped, deleted,
// duplicated, lines cut): the parser must answer with ports or an error,
// never crash, and never return a port without a name.
TEST(ShowPowerInlineTest, MutatedCapturesNeverCrash) {
    std::mt19937 random(20240601U);
    const char* const names[] = {"ntc_iosxe_c9k_module_faulty_totals.txt", "ntc_cat4500_48port_module9.txt",
                                 "ntc_cat6513_priority_police_admin_off.txt",
                                 "ntc_ios12_2960_available_fa.txt",
                                 "genie_show_power_inline_Gi1-16_power_deny_adminpowermax.txt"};
    const std::string alphabet = " -\r\n\t/%.0123456789aoGinfTotals:Interface";
    std::size_t parsed = 0;
    std::size_t failed = 0;
    for (const char* name : names) {
        const std::string original = fixture(name);
        for (int round = 0; round < 400; ++round) {
            std::string text = original;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int e = 0; e < edits && !text.empty(); ++e) {
                const std::size_t at = random() % text.size();
                switch (random() % 4) {
                    case 0:
                        text[at] = alphabet[random() % alphabet.size()];
                        break;
                    case 1:
                        text.erase(at, 1 + random() % 8);
                        break;
                    case 2:
                        text.insert(at, text.substr(at, random() % 40));
                        break;
                    default:
                        text.resize(at);
                        break;
                }
            }
            auto result = parse_show_power_inline(text);
            if (result.ok()) {
                ++parsed;
                for (const auto& p : *result) {
                    EXPECT_FALSE(p.name.empty());
                    EXPECT_GE(p.watts, 0.0);
                }
            } else {
                ++failed;
                EXPECT_FALSE(result.error().message.empty());
                EXPECT_LE(result.error().device_text.size(), 8U * 1024U);
            }
        }
    }
    EXPECT_GT(parsed, 0U);
    EXPECT_GT(failed, 0U);
}

}  // namespace
}  // namespace poe::ios

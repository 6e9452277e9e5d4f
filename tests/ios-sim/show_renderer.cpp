#include "show_renderer.hpp"

#include <array>
#include <cstdio>
#include <ctime>
#include <map>

namespace ios_sim {

namespace {

std::string fixed1(double value) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f", value);
    return buf.data();
}

std::string pad(std::string_view text, std::size_t width) {
    std::string out(text);
    if (out.size() < width) {
        out.append(width - out.size(), ' ');
    }
    return out;
}

// IOS cuts the Device column at its width instead of widening the table.
std::string device_column(const PortView& port) {
    return port.device.substr(0, 19);
}

constexpr std::string_view module_header =
    "Module   Available     Used     Remaining\n"
    "          (Watts)     (Watts)    (Watts) \n"
    "------   ---------   --------   ---------\n";

constexpr std::string_view iosxe_port_header =
    "Interface Admin  Oper       Power   Device              Class Max\n"
    "                            (Watts)                            \n"
    "--------- ------ ---------- ------- ------------------- ----- ----\n";

constexpr std::string_view ios15_port_header =
    "Interface Admin  Oper       Power   Device              Class Max\n"
    "                            (Watts)\n"
    "--------- ------ ---------- ------- ------------------- ----- ----\n";

constexpr std::string_view cat4500_port_header =
    "Interface Admin  Oper            Power(Watts)     Device              Class\n"
    "                            From PS    To Device                    \n"
    "--------- ------ ---------- ---------- ---------- ------------------- -----\n";

constexpr std::string_view cat4500_ruler =
    "--------- ------ ---------- ---------- ---------- ------------------- -----\n";

constexpr std::string_view iosxe_totals_ruler =
    "--------- ------ ---------- ---------- ---------- ------ ----- \n";

constexpr double module_available_watts = 740.0;
constexpr double ios15_available_watts = 370.0;
constexpr int cat4500_available_watts = 4800;

// Catalyst 4500 reports what leaves the power supply and what reaches the
// device; the difference is the cable loss.
double from_power_supply(double to_device) {
    return to_device * 1.05;
}

std::string port_row(const PortView& port, bool trailing_space) {
    std::string row = pad(port.id.short_name(), 9) + " " + pad(port.admin, 6) + " " + pad(port.oper, 10) +
                      " " + pad(fixed1(port.watts), 7) + " " + pad(device_column(port), 19) + " " +
                      pad(port.pd_class, 5) + " " + fixed1(port.max_mw / 1000.0);
    if (trailing_space) {
        row += ' ';
    }
    return row + "\n";
}

std::string cat4500_row(const PortView& port) {
    const double from_ps = port.oper == "on" ? from_power_supply(port.watts) : 0.0;
    return pad(port.id.short_name(), 9) + " " + pad(port.admin, 6) + " " + pad(port.oper, 10) + " " +
           pad(fixed1(from_ps), 10) + " " + pad(fixed1(port.watts), 10) + " " + pad(device_column(port), 19) +
           " " + pad(port.pd_class, 5) + "\n";
}

std::string totals_line(int on_count, std::string_view first, std::size_t first_width) {
    return "Totals:          " + pad(std::to_string(on_count), 5) + "on    " + pad(first, first_width);
}

std::string render_iosxe(const std::vector<PortView>& ports, bool with_totals) {
    // Members in the order their first port appears, as the stack lists them.
    std::vector<int> modules;
    std::map<int, std::vector<const PortView*>> by_module;
    for (const auto& port : ports) {
        const int module = port.id.module();
        if (by_module.find(module) == by_module.end()) {
            modules.push_back(module);
        }
        by_module[module].push_back(&port);
    }
    std::string out;
    for (std::size_t m = 0; m < modules.size(); ++m) {
        const auto& members = by_module[modules[m]];
        double used = 0.0;
        int on_count = 0;
        for (const PortView* port : members) {
            used += port->watts;
            on_count += port->oper == "on" ? 1 : 0;
        }
        std::array<char, 96> module_row{};
        std::snprintf(module_row.data(), module_row.size(), "%-6d%11.1f%11.1f%12.1f\n", modules[m],
                      module_available_watts, used, module_available_watts - used);
        if (m > 0) {
            out += with_totals ? "\n\n" : "\n";
        }
        out += module_header;
        out += module_row.data();
        out += iosxe_port_header;
        for (const PortView* port : members) {
            out += port_row(*port, true);
        }
        if (with_totals) {
            out += iosxe_totals_ruler;
            out += totals_line(on_count, fixed1(used), 10) + "\n";
        }
    }
    return out;
}

std::string render_ios15(const std::vector<PortView>& ports) {
    double used = 0.0;
    for (const auto& port : ports) {
        used += port.watts;
    }
    std::string out = "Available:" + fixed1(ios15_available_watts) + "(w)  Used:" + fixed1(used) +
                      "(w)  Remaining:" + fixed1(ios15_available_watts - used) + "(w)\n\n";
    out += ios15_port_header;
    for (const auto& port : ports) {
        out += port_row(port, false);
    }
    return out;
}

std::string render_cat4500(const std::vector<PortView>& ports) {
    double from_ps = 0.0;
    double to_device = 0.0;
    int on_count = 0;
    for (const auto& port : ports) {
        if (port.oper == "on") {
            from_ps += from_power_supply(port.watts);
            to_device += port.watts;
            ++on_count;
        }
    }
    // The budget header shows whole watts, truncated (692.8 W used prints 692).
    const int used = static_cast<int>(from_ps);
    std::string out = "Available:" + std::to_string(cat4500_available_watts) +
                      "(w)  Used:" + std::to_string(used) +
                      "(w)  Remaining:" + std::to_string(cat4500_available_watts - used) + "(w)\n\n";
    out += cat4500_port_header;
    out += "\n";
    for (const auto& port : ports) {
        out += cat4500_row(port);
    }
    out += cat4500_ruler;
    out += "\n";
    out += totals_line(on_count, fixed1(from_ps), 11) + pad(fixed1(to_device), 5) + " \n";
    return out;
}

std::string interface_config_lines(const PortView& port) {
    std::string out;
    switch (port.mode) {
        case AdminMode::never:
            out += " power inline never\n";
            break;
        case AdminMode::static_power:
            out += " power inline static";
            if (port.configured_max_mw) {
                out += " max " + std::to_string(*port.configured_max_mw);
            }
            out += "\n";
            break;
        case AdminMode::automatic:
            if (port.configured_max_mw) {
                out += " power inline auto max " + std::to_string(*port.configured_max_mw) + "\n";
            }
            break;
    }
    if (port.shutdown) {
        out += " shutdown\n";
    }
    return out;
}

std::string with_config_header(const std::string& body) {
    return "Building configuration...\n\nCurrent configuration : " + std::to_string(body.size()) +
           " bytes\n" + body;
}

}  // namespace

std::optional<OutputStyle> parse_output_style(std::string_view name) {
    if (name == "iosxe") {
        return OutputStyle::iosxe;
    }
    if (name == "iosxe16") {
        return OutputStyle::iosxe16;
    }
    if (name == "ios15") {
        return OutputStyle::ios15;
    }
    if (name == "cat4500") {
        return OutputStyle::cat4500;
    }
    return std::nullopt;
}

std::string render_power_inline(const std::vector<PortView>& ports, OutputStyle style) {
    switch (style) {
        case OutputStyle::iosxe:
            return render_iosxe(ports, true);
        case OutputStyle::iosxe16:
            return render_iosxe(ports, false);
        case OutputStyle::ios15:
            return render_ios15(ports);
        case OutputStyle::cat4500:
            return render_cat4500(ports);
    }
    return {};
}

std::string render_power_inline_port(const PortView& port, OutputStyle style) {
    switch (style) {
        case OutputStyle::iosxe:
        case OutputStyle::iosxe16:
            return std::string(iosxe_port_header) + port_row(port, true);
        case OutputStyle::ios15:
            return std::string(ios15_port_header) + port_row(port, false);
        case OutputStyle::cat4500:
            return std::string(cat4500_port_header) + cat4500_row(port);
    }
    return {};
}

std::string render_power_inline_detail(const PortView& port) {
    const bool on = port.oper == "on";
    const std::string watts = fixed1(on ? port.watts : 0.0);
    std::string out;
    out += "Interface: " + port.id.short_name() + "\n";
    out += "Inline Power Mode: " + admin_keyword(port.mode) + "\n";
    out += "Operational status: " + port.oper + "\n";
    out += std::string("Device Detected: ") + (on ? "yes" : "no") + "\n";
    out += "Device Type: " + port.device + "\n";
    out += "IEEE Class: " + port.pd_class + "\n";
    out += "Discovery mechanism used/configured: Ieee and Cisco\n";
    out += "Police: off\n";
    out += "\n";
    out += "Power Allocated\n";
    out += "Admin Value: " + fixed1(port.max_mw / 1000.0) + "\n";
    out += "Power drawn from the source: " + watts + "\n";
    out += "Power available to the device: " + watts + "\n";
    out += "\n";
    out += "Actual consumption\n";
    out += "Measured at the port: " + watts + "\n";
    out += "Maximum Power drawn by the device since powered on: " + watts + "\n";
    out += "\n";
    out += "Absent Counter: 0\n";
    out += "Over Current Counter: 0\n";
    out += "Short Current Counter: 0\n";
    out += "Invalid Signature Counter: 0\n";
    out += "Power Denied Counter: 0\n";
    out += "\n";
    out += "Power Negotiation Used: None\n";
    out += "LLDP Power Negotiation --Sent to PD--      --Rcvd from PD--\n";
    out += "Power Type:          -                    -\n";
    out += "Power Source:        -                    -\n";
    out += "Power Priority:      -                    -\n";
    out += "Requested Power(W):  -                    -\n";
    out += "Allocated Power(W):  -                    -\n";
    out += "\n";
    out += "Four-Pair PoE Supported: No\n";
    out += "Spare Pair Power Enabled: No\n";
    out += "Four-Pair PD Architecture: N/A\n";
    out += "Perpetual POE Enabled: FALSE\n";
    out += "Fast POE Enabled: FALSE\n";
    return out;
}

std::string render_running_config_interface(const PortView& port) {
    const std::string body =
        "!\ninterface " + port.id.full_name() + "\n" + interface_config_lines(port) + "end\n";
    return with_config_header(body) + "\n";
}

std::string render_running_config(std::string_view hostname, const std::vector<PortView>& ports,
                                  OutputStyle style) {
    std::string body = "!\n";
    body +=
        style == OutputStyle::iosxe || style == OutputStyle::iosxe16 ? "version 17.9\n" : "version 15.2\n";
    body += "service timestamps debug datetime msec\n";
    body += "service timestamps log datetime msec\n";
    body += "no service password-encryption\n";
    body += "!\n";
    body += "hostname " + std::string(hostname) + "\n";
    body += "!\n";
    body += "no ip domain lookup\n";
    body += "!\n";
    for (const auto& port : ports) {
        body += "interface " + port.id.full_name() + "\n" + interface_config_lines(port) + "!\n";
    }
    body += "interface Vlan1\n no ip address\n!\n";
    body += "ip ssh version 2\n";
    body += "!\n";
    body += "line con 0\n";
    body += "line vty 0 15\n login local\n transport input ssh\n";
    body += "!\n";
    body += "end\n";
    return with_config_header(body) + "\n";
}

std::string render_version(std::string_view hostname, const std::vector<PortView>& ports, OutputStyle style,
                           std::chrono::seconds uptime) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(uptime).count();
    const std::string uptime_text =
        std::string(hostname) + " uptime is " + std::to_string(minutes / (24L * 60)) + " days, " +
        std::to_string((minutes / 60) % 24) + " hours, " + std::to_string(minutes % 60) + " minutes\n";
    const std::string port_count = std::to_string(ports.size());
    std::string out;
    switch (style) {
        case OutputStyle::iosxe:
        case OutputStyle::iosxe16:
            out += "Cisco IOS XE Software, Version 17.09.04a\n";
            out +=
                "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, "
                "RELEASE SOFTWARE (fc3)\n";
            out += "Technical Support: http://www.cisco.com/techsupport\n";
            out += "Copyright (c) 1986-2023 by Cisco Systems, Inc.\n";
            out += "Compiled Thu 20-Jul-23 18:32 by mcpre\n\n";
            out += "ROM: IOS-XE ROMMON\n";
            out += uptime_text;
            out += "System returned to ROM by Reload Command\n";
            out += "System image file is \"flash:packages.conf\"\n\n";
            out += "cisco C9300-48P (X86) processor with 1338934K/6147K bytes of memory.\n";
            out += "Processor board ID FOC2233X0AB\n";
            out += port_count + " Ethernet interfaces\n";
            out += "\nConfiguration register is 0x102\n";
            break;
        case OutputStyle::ios15:
            out +=
                "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8, RELEASE "
                "SOFTWARE "
                "(fc1)\n";
            out += "Technical Support: http://www.cisco.com/techsupport\n";
            out += "Copyright (c) 1986-2023 by Cisco Systems, Inc.\n";
            out += "Compiled Fri 03-Mar-23 09:11 by mcpre\n\n";
            out += "ROM: Bootstrap program is C2960X boot loader\n";
            out += uptime_text;
            out += "System returned to ROM by power-on\n";
            out += "System image file is \"flash:c2960x-universalk9-mz.152-7.E8.bin\"\n\n";
            out +=
                "cisco WS-C2960X-48FPD-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.\n";
            out += "Processor board ID FOC1932X0AB\n";
            out += port_count + " Ethernet interfaces\n";
            out += "\nConfiguration register is 0xF\n";
            break;
        case OutputStyle::cat4500:
            out +=
                "Cisco IOS Software, Catalyst 4500 L3 Switch  Software (cat4500e-UNIVERSALK9-M), Version "
                "15.2(2)E9, "
                "RELEASE SOFTWARE (fc1)\n";
            out += "Technical Support: http://www.cisco.com/techsupport\n";
            out += "Copyright (c) 1986-2018 by Cisco Systems, Inc.\n";
            out += "Compiled Sat 08-Sep-18 15:58 by prod_rel_team\n\n";
            out += "ROM: 15.0(1r)SG10\n";
            out += uptime_text;
            out += "System returned to ROM by power-on\n";
            out += "System image file is \"bootflash:cat4500e-universalk9.SPA.03.11.00.E.152-7.E.bin\"\n\n";
            out +=
                "cisco WS-C4507R+E (MPC8572) processor (revision 10) with 2097152K/20480K bytes of memory.\n";
            out += port_count + " Gigabit Ethernet interfaces\n";
            out += "\nConfiguration register is 0x2102\n";
            break;
    }
    return out;
}

std::string render_clock() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    static constexpr std::array<std::string_view, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "*%02d:%02d:%02d.%03lld UTC %s %s %d %d\n", utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<long long>(millis),
                  std::string(days[static_cast<std::size_t>(utc.tm_wday)]).c_str(),
                  std::string(months[static_cast<std::size_t>(utc.tm_mon)]).c_str(), utc.tm_mday,
                  utc.tm_year + 1900);
    return buf.data();
}

}  // namespace ios_sim

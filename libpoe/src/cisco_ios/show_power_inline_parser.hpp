// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Parser of IOS / IOS-XE `show power inline` output into poe::PortStatus
/// rows. Pure function, no I/O, safe to call from any thread.

#include <poe/port.hpp>
#include <poe/result.hpp>

#include <string_view>
#include <vector>

namespace poe::ios {

/// Parses the output of `show power inline`, `show power inline <intf>` and
/// `show power inline module <n>`.
///
/// Columns are found from the dashed ruler under each table header, never
/// by splitting on blanks (the Device column contains blanks). Understood
/// layouts: IOS-XE stacks (Module budget tables, per-member blocks,
/// `Totals:` lines), classic IOS (`Available:...(w)` header), Catalyst 4500
/// (`Power(Watts) From PS / To Device`: To Device is reported as watts, no
/// Max), Catalyst 6500/6880 (Priority/Police/ActConsumption columns, which
/// are ignored), single-port output including its trailing
/// `AdminPowerMax AdminConsumption` table (ignored). A leading command echo
/// and text outside tables (budget headers, advisory notes) are skipped,
/// but a line that starts like an interface name is never skipped: it is a
/// port row of a port table or an error. CRLF, stray CR, tabs and trailing
/// blanks are tolerated.
///
/// @param output the command's output. A leading command echo is tolerated;
///        the trailing prompt must be removed first (a hostname such as
///        `sw1#` looks like a port row): extract_command_output() does both.
/// @return the ports in the order the switch listed them (may be empty when
///         the switch prints an empty table, e.g. `Available:0.0(w)`);
///         - parse_error when the output is larger than 1 MiB, contains no
///           port table, has an unknown column or Admin value, an
///           unparsable number, a row that cannot be a port, or a port
///           listed twice. The message names the line; device_text holds
///           the raw output (at most 8 KiB);
///         - unsupported for `%No inline power card on switch`;
///         - device_rejected / auth_failed when output that is not
///           understood carries an IOS error message (see
///           classify_cli_error()).
Result<std::vector<PortStatus>> parse_show_power_inline(std::string_view output);

}  // namespace poe::ios

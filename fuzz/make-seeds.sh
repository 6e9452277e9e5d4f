#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/ from the captured IOS
# fixtures, the packaged and demo configurations and hand-written MAAS
# requests and IOS dialogues. The output is checked in; run this again after
# adding fixtures. Input layouts are described in fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=tests/fixtures/cisco-ios
out=fuzz/corpus

crlf() { sed 's/\r*$/\r/'; }  # LF -> CRLF (idempotent)

# --- fuzz_show_power_inline: every captured output as is.
d=$out/fuzz_show_power_inline; rm -rf "$d"; mkdir -p "$d"
for f in "$fixtures"/*.txt; do cp "$f" "$d/$(basename "$f")"; done

# --- fuzz_cli_text: byte 0 command (0 = "show power inline"), byte 1
# hostname (0 = sw1, 3 = cisco1, +0x80 = take the learned one), then raw bytes.
d=$out/fuzz_cli_text; rm -rf "$d"; mkdir -p "$d"
for f in "$fixtures"/*.txt; do
  { printf '\x00\x00show power inline\r\n'; crlf <"$f"; printf '\r\nsw1#'; } >"$d/$(basename "$f" .txt).bin"
done
for f in "$fixtures"/*.log; do
  { printf '\x00\x83'; crlf <"$f"; } >"$d/$(basename "$f" .log).bin"
done
printf '\x00\x00show power inline\r\nInterface Admin Oper\r\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bGi1/0/1 auto on\r\nsw1#' >"$d/more_backspaces.bin"
printf '\x00\x00show power inline\r\nline one\r\n --More-- \r          \rline two\r\nsw1#' >"$d/more_cr_erase.bin"
printf '\x06\x00power inline never\r\n                   ^\r\n%% Invalid input detected at '"'"'^'"'"' marker.\r\n\r\nsw1(config-if)#' >"$d/invalid_input.bin"
printf '\x04\x00enable\r\nPassword: ' >"$d/password.bin"
printf '\x05\x02interface GigabitEthernet1/0/5\r\ncore-sw(config-if)#' >"$d/config_if_truncated_host.bin"
printf '\x00\x00\x1b[?25l\x1b]0;title\x07show power\r\n inline\r\n\x1b[1mX\x1b[0m\r\r\nsw1#  ' >"$d/ansi_wrapped_echo.bin"
printf '\x00\x00show power inline\r\nsw1#' >"$d/empty_output.bin"
printf '\x03\x00\r\nsw1#' >"$d/empty_command.bin"
printf '\x07\x00write memory\r\nBuilding configuration...\r\n[OK]\r\nsw1#' >"$d/write_memory.bin"
printf '\x00\x00show power inline\r\nCommand authorization failed.\r\n\r\nsw1#' >"$d/authorization_failed.bin"
printf '\x00\x80\r\n*** banner: sw1# admin> ***\r\nlab-router>' >"$d/banner_prompt.bin"

# --- fuzz_interface_name: byte 0 even = one name, odd = a port spec.
d=$out/fuzz_interface_name; rm -rf "$d"; mkdir -p "$d"
i=0
for name in Gi1/0/5 'GigabitEthernet 1/0/05' two1/0/1 Tw1/0/1 Twe1/1/1 TwentyFiveGigE1/0/1 fa0/1 \
            ' Te1/1/4 ' Fi1/0/3 Fo1/1/1 Hu1/0/49 Ap1/0/1 Gi9/48 Gi0 Gi1/0/0/1 'fast 0/1' 'G1/0/1' t1/0/1; do
  printf '\x00%s' "$name" >"$d/name_$((i++))"
done
for spec in 'Gi1/0/1-48,Te1/1/1-4' 'Gi1/0/1 - 8, Gi2/0/1-8' 'Fa0/1-24' 'gi1/0/1,gi1/0/1' 'Tw1/0/1-12,Gi1/0/13-48'; do
  printf '\x01%s' "$spec" >"$d/spec_$((i++))"
done

# --- fuzz_ios_session: flags byte, then the switch's answers separated by
# 0xFF: greeting, answer to "\n", to each command in turn.
d=$out/fuzz_ios_session; rm -rf "$d"; mkdir -p "$d"
show=$(crlf <"$fixtures/ntc_iosxe_c9k_module_faulty_totals.txt")
show_small=$(crlf <"$fixtures/ntc_ios12_2960_available_fa.txt")
login=$'\r\n*** lab switch ***\r\nsw1#\xff\r\nsw1#\xffterminal length 0\r\nsw1#\xffterminal width 511\r\nsw1#'
enable_login=$'sw1>\xff\r\nsw1>\xffenable\r\nPassword: \xff\r\nsw1#\xffterminal length 0\r\nsw1#\xffterminal width 511\r\nsw1#'
read_ports=$'\xffshow power inline\r\n'"$show"$'\r\nsw1#'
set_admin=$'\xffconfigure terminal\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nsw1(config)#'
set_admin+=$'\xffinterface GigabitEthernet1/0/1\r\nsw1(config-if)#\xffpower inline never\r\nsw1(config-if)#'
set_admin+=$'\xffinterface GigabitEthernet1/0/2\r\nsw1(config-if)#\xffpower inline static max 15400\r\nsw1(config-if)#'
set_admin+=$'\xffend\r\nsw1#'
save=$'\xffwrite memory\r\nBuilding configuration...\r\n[OK]\r\nsw1#'
ping=$'\xff\r\nsw1#'
# flags: bit0 secret, bit1 chatty, bit2 drop at end, bits3-5 piece size, bits6-7 sequence
printf '\x00%s' "$login$read_ports$set_admin$save$ping" >"$d/happy_path"
printf '\x01%s' "$enable_login$read_ports$set_admin$save$ping" >"$d/enable_secret"
printf '\x08%s' "$login$read_ports$set_admin$save$ping" >"$d/one_byte_pieces"
printf '\x28%s' "$enable_login$read_ports" >"$d/pieces_of_16_enable"
printf '\x41%s' "$enable_login"$'\xffshow power inline\r\n'"$show_small"$'\r\nsw1#'"$read_ports$ping" >"$d/read_read_ping"
paged=$'\xffshow power inline\r\nAvailable:370.0(w)  Used:55.6(w)  Remaining:314.4(w)\r\n\r\n --More-- '
paged+=$'\xff\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bInterface Admin  Oper       Power   Device              Class Max\r\n'
paged+=$'                           (Watts)                            \r\n'
paged+=$'--------- ------ ---------- ------- ------------------- ----- ----\r\n'
paged+=$'Fa0/1     auto   on         15.4    IP Phone 7960       n/a   15.4 \r\nsw1#'
printf '\x40%s' $'sw1#\xff\r\nsw1#\xff% Invalid input detected\r\nsw1#\xffterminal width 511\r\nsw1#'"$paged$paged$ping" >"$d/paging_without_terminal_length"
reject=$'\xffconfigure terminal\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nsw1(config)#'
reject+=$'\xffinterface GigabitEthernet1/0/1\r\nsw1(config-if)#\xffpower inline never\r\n                   ^\r\n% Invalid input detected at \'^\' marker.\r\n\r\nsw1(config-if)#'
reject+=$'\xffend\r\nsw1#'
printf '\x80%s' "$login$reject$read_ports" >"$d/rejected_line"
printf '\xc0%s' "$login$ping"$'\xffwrite memory\r\nBuilding configuration...\r\n% Error\r\nsw1#'"$reject" >"$d/save_fails"
printf '\x00%s' $'\r\nsw1(config)#\xff\r\nsw1(config)#\xffend\r\nsw1#\xffterminal length 0\r\nsw1#\xffterminal width 511\r\nsw1#'"$read_ports" >"$d/login_in_config_mode"
printf '\x01%s' $'sw1>\xff\r\nsw1>\xffenable\r\nPassword: \xff\r\nPassword: \xff' >"$d/enable_refused"
printf '\x02%s' $'\r\nsw1#\xff\r\nsw1#\xffterminal length 0\r\nsw1#\xffterminal width 511\r\nsw1#\xffshow power inline\r\nthe switch never stops talking ' >"$d/chatty"
printf '\x04%s' "$login"$'\xffshow power inline\r\nInterface' >"$d/drop_mid_output"

# --- fuzz_config_loader: YAML text. The hand-written samples (*.yaml other
# than these two) live in the corpus directory itself.
d=$out/fuzz_config_loader; mkdir -p "$d"
cp packaging/maas-bridge.yaml "$d/packaging_maas-bridge.yaml"
sed -n '/R"yaml(/,/)yaml"/p' maas-bridge/src/config/demo_config.cpp | sed '1s/.*R"yaml(//; $d' >"$d/demo.yaml"

# --- fuzz_router: raw request heads as MAAS (and people) send them.
d=$out/fuzz_router; rm -rf "$d"; mkdir -p "$d"
req() {  # name method target [extra header lines...]
  local name=$1 method=$2 target=$3; shift 3
  {
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1:8550\r\nUser-Agent: MAAS 3.5.4\r\nAccept: application/json\r\n' "$method" "$target"
    for h in "$@"; do printf '%s\r\n' "$h"; done
    printf 'Connection: close\r\nContent-Length: 0\r\n\r\n'
  } >"$d/$name"
}
bearer='Authorization: Bearer t0k-Secret-1'
basic='Authorization: Basic bWFhcy11c2VyOlBhNTUtU2VjcmV0'
req maas_on POST /v1/machines/pi-01/on "$bearer"
req maas_off POST /v1/machines/pi-01/off "$basic"
req maas_query GET /v1/machines/pi-01 "$bearer"
req maas_query_slash GET /v1/machines/pi-01/ "$bearer" 'System_Id: abc123'
req maas_status GET /v1/machines/pi-07/status "$basic" 'System_Id: 4y3h7n'
req maas_cycle POST /v1/machines/pi-03/cycle "$bearer"
req pattern_core GET /v1/machines/rack2-node14 "$bearer"
req unknown_machine GET /v1/machines/pi-99 "$bearer"
req hostile_name GET /v1/machines/status-running "$bearer"
req port_encoded POST /v1/switches/demo/ports/Gi1%2F0%2F5/on "$bearer"
req port_plain GET /v1/switches/demo/ports/Gi1/0/5/status "$basic"
req port_core POST /v1/switches/core/ports/gi1/0/05/off "$bearer"
req switches GET /v1/switches "$bearer"
req switch_detail GET /v1/switches/demo/ports "$bearer"
req machines GET '/v1/machines?format=json' "$bearer"
req metrics GET /metrics "$bearer"
req healthz GET /healthz
req no_auth POST /v1/machines/pi-01/on
req wrong_token POST /v1/machines/pi-01/on 'Authorization: Bearer wrong'
req bad_basic GET /v1/machines/pi-01 'Authorization: Basic bWFhcy11c2Vy'
req wrong_method GET /v1/machines/pi-01/on "$bearer"
req dot_dot GET /v1/machines/%2e%2e/status "$bearer"
req bad_escape GET /v1/machines/pi-%G1 "$bearer"
req nul_escape GET /v1/machines/pi%00 "$bearer"
printf 'GET /v1/machines/pi-01 HTTP/1.0\r\nAuthorization: bearer t0k-Secret-1\r\n\r\n' >"$d/http10_lowercase_scheme"
printf 'POST /v1/machines/pi-01/on HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0k-Secret-1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' >"$d/chunked_body"
printf 'POST /v1/machines/pi-01/on\nBearer t0k-Secret-1' >"$d/direct_form"

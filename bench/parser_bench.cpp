// SPDX-License-Identifier: Apache-2.0
// Speed of the cisco-ios text path: every bulk read of a switch runs it once.
// Target: >= 10,000 parses/s of a 5-member, 240-port IOS-XE stack.

#include "cisco_ios/cli_text.hpp"
#include "cisco_ios/interface_name.hpp"
#include "cisco_ios/show_power_inline_parser.hpp"
#include "ios_xe_stack_output.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

constexpr unsigned stack_members = 5;
constexpr unsigned ports_per_member = 48;

// Benchmark names follow Google Benchmark's BM_ convention, not ours.
void BM_ParseStack240(benchmark::State& state) {  // NOLINT(readability-identifier-naming)
    const auto stack = poe::ios::testing::render_ios_xe_stack(stack_members, ports_per_member);
    const auto check = poe::ios::parse_show_power_inline(stack.text);
    if (!check.ok() || *check != stack.ports) {
        state.SkipWithError("generated stack output does not parse to the expected ports");
        return;
    }
    for (auto _ : state) {
        auto ports = poe::ios::parse_show_power_inline(stack.text);
        benchmark::DoNotOptimize(ports);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(check->size()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(stack.text.size()));
    state.counters["parses_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseStack240);

// What the SSH driver does with the raw PTY bytes of one bulk read: clean
// them, cut echo and prompt, parse.
void BM_ExtractAndParseStack240Raw(benchmark::State& state) {  // NOLINT(readability-identifier-naming)
    const auto stack = poe::ios::testing::render_ios_xe_stack(stack_members, ports_per_member, true);
    const std::string raw = "show power inline\r\n" + stack.text + "sw-lab-01#";
    for (auto _ : state) {
        auto output = poe::ios::extract_command_output(raw, "show power inline", "sw-lab-01");
        if (!output.ok()) {
            state.SkipWithError(output.error().message.c_str());
            return;
        }
        auto ports = poe::ios::parse_show_power_inline(*output);
        benchmark::DoNotOptimize(ports);
    }
    state.counters["reads_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExtractAndParseStack240Raw);

void BM_NormalizeInterfaceName(benchmark::State& state) {  // NOLINT(readability-identifier-naming)
    for (auto _ : state) {
        auto name = poe::ios::normalize_interface_name("GigabitEthernet1/0/05");
        benchmark::DoNotOptimize(name);
    }
}
BENCHMARK(BM_NormalizeInterfaceName);

}  // namespace

BENCHMARK_MAIN();

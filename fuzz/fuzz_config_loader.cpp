// SPDX-License-Identifier: Apache-2.0
// Fuzzes maas_bridge::load_config_text (YAML → BridgeConfig) with a registry
// holding the builtin drivers (fake, cisco-ios), then resolves a few machine
// names and ports through the loaded rules. Seeds: packaging/maas-bridge.yaml,
// the --demo configuration and fuzz/corpus/fuzz_config_loader/*.yaml.

#include "config/config_loader.hpp"
#include "fuzz_check.hpp"
#include "machines/machine_resolver.hpp"

#include <poe/registry.hpp>

#include <spdlog/spdlog.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace {

using poe_fuzz::check;

const poe::Registry& registry() {
    static const std::unique_ptr<poe::Registry> instance = [] {
        auto r = std::make_unique<poe::Registry>();
        check(poe::register_builtin_drivers(*r).ok(), "register_builtin_drivers failed");
        return r;
    }();
    return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    poe_fuzz::quiet_poe_log();
    spdlog::set_level(spdlog::level::off);
    (void)registry();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > maas_bridge::max_config_bytes) {
        return 0;
    }
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    maas_bridge::ConfigLoadOptions options;
    options.registry = &registry();
    // No credentials directory: *_credential keys fail cleanly. *_file keys
    // may name real files; the reader only accepts small regular files.
    auto config = maas_bridge::load_config_text(yaml, "fuzz.yaml", options);
    if (!config) {
        const poe::Error& error = config.error();
        if (poe_fuzz::verbose()) {
            std::fprintf(stderr, "config error (code %d): [%s]\n", static_cast<int>(error.code),
                         error.message.c_str());
        }
        // Documented: one line "FILE:LINE:COL: KEY.PATH: what is wrong" (or
        // "FILE: ..." when there is no position); internal means an
        // unexpected exception escaped the loader's own checks.
        check(error.code == poe::ErrorCode::invalid_argument,
              "load_config_text failed with a code other than invalid_argument");
        check(error.message.find('\n') == std::string::npos, "config error message spans several lines");
        check(error.message.starts_with("fuzz.yaml"),
              "config error message does not start with the file name");
        return 0;
    }
    check(!config->switches.empty(), "a config without switches was accepted");
    const maas_bridge::MachineResolver resolver(*config);
    static constexpr std::array<std::string_view, 6> machines{"pi-01",   "pi-1", "web-01",
                                                              "running", "a",    "pi-99999999"};
    for (const std::string_view name : machines) {
        (void)resolver.resolve_machine(name);
    }
    for (const auto& [id, unused] : config->switches) {
        (void)resolver.resolve_port(id, "Gi1/0/1");
        (void)resolver.resolve_port(id, "gi1/0/05");
    }
    return 0;
}

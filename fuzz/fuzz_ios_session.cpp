// SPDX-License-Identifier: Apache-2.0
// Drives the cisco-ios driver (IosSession's login, commands, configuration
// blocks, write memory, ping, and the parser behind read_ports) over an
// in-memory Transport whose peer answers every line the session sends with
// the next piece of fuzzer input. The session must never hang, crash, grow
// without bound or leak the enable secret, whatever the "switch" says.
//
// Input layout (see fuzz/README.md):
//   byte 0  flags: bit 0 enable secret configured; bit 1 chatty switch (once
//           the script is used up it keeps repeating its last answer);
//           bit 2 script end = connection lost (else silence = timeout);
//           bits 3-5 delivery piece size; bits 6-7 operation sequence
//   rest    the switch's answers, one per write of the session (the first
//           one is the greeting after connect), separated by 0xFF bytes.

#include "cisco_ios/cisco_ios_driver.hpp"
#include "cisco_ios/cli_text.hpp"
#include "cisco_ios/string_helpers.hpp"
#include "fuzz_check.hpp"

#include <poe/deadline.hpp>
#include <poe/port.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using poe_fuzz::check;
namespace ios = poe::ios;

constexpr std::string_view enable_secret = "En4ble-S3cret";
constexpr char separator = '\xff';
constexpr std::array<std::size_t, 8> piece_sizes{0, 1, 2, 3, 7, 16, 64, 512};
// Far above anything a bounded session needs for inputs of -max_len size
// plus the chatty switch's bounded replay (1 MiB in 4 KiB reads).
constexpr std::size_t max_transport_calls = 200000;
constexpr std::size_t max_written_bytes = std::size_t{1} << 20;
constexpr auto op_budget = std::chrono::seconds{3};
constexpr auto overrun_tolerance = std::chrono::seconds{1};

struct Script {
    std::vector<std::string> answers;
    std::size_t next_answer{0};
    std::size_t piece_size{0};
    bool chatty{false};
    bool drop_at_end{false};
    std::string chatter;  // what a chatty switch repeats

    std::deque<std::string> inbox;
    std::string spoken;       // every byte of the script handed out (not the echo)
    bool echo_secret{false};  // the session just sent the secret: echo it
    std::size_t calls{0};
    std::size_t written{0};
    int connects{0};

    void count_call() {
        ++calls;
        check(calls <= max_transport_calls, "the session keeps calling its transport (unbounded loop)");
    }

    // Queues the next scripted answer, cut into delivery pieces.
    void answer() {
        if (next_answer >= answers.size()) {
            return;
        }
        std::string text = answers[next_answer++];
        if (text.empty() && !echo_secret) {
            return;  // this line gets no answer
        }
        spoken += text;
        chatter = text;
        if (echo_secret) {
            // A switch (or terminal server) that echoes what it is sent,
            // also a password: the session must scrub it from its errors.
            echo_secret = false;
            text = std::string(enable_secret) + "\r\n" + text;
        }
        if (piece_size == 0) {
            inbox.push_back(text);
            return;
        }
        for (std::size_t i = 0; i < text.size(); i += piece_size) {
            inbox.push_back(text.substr(i, piece_size));
        }
    }

    bool exhausted() const { return next_answer >= answers.size() && inbox.empty(); }
};

class FuzzTransport final : public ios::Transport {
public:
    explicit FuzzTransport(std::shared_ptr<Script> script) : script_(std::move(script)) {}

    poe::Result<void> connect(poe::Deadline /*deadline*/) override {
        script_->count_call();
        ++script_->connects;
        script_->answer();  // greeting: banner and first prompt
        return poe::success();
    }

    poe::Result<void> write(std::string_view bytes, poe::Deadline /*deadline*/) override {
        script_->count_call();
        if (closed_ || (script_->drop_at_end && script_->exhausted())) {
            return poe::make_error(poe::ErrorCode::connection_lost, "peer closed");
        }
        script_->written += bytes.size();
        script_->echo_secret = bytes.find(enable_secret) != std::string_view::npos;
        check(script_->written <= max_written_bytes, "the session keeps writing (unbounded output)");
        script_->answer();
        return poe::success();
    }

    poe::Result<std::string> read_some(poe::Deadline /*deadline*/) override {
        script_->count_call();
        if (closed_) {
            return poe::make_error(poe::ErrorCode::connection_lost, "peer closed");
        }
        if (!script_->inbox.empty()) {
            std::string piece = std::move(script_->inbox.front());
            script_->inbox.pop_front();
            return piece;
        }
        if (script_->next_answer >= script_->answers.size()) {
            if (script_->chatty) {
                // A switch that never stops talking: 4 KiB reads, so the
                // session's size limits, not the harness, end it.
                std::string more = script_->chatter.empty() ? std::string("x") : script_->chatter;
                while (more.size() < 4096) {
                    more += more;
                }
                if (script_->spoken.size() < (std::size_t{4} << 20)) {
                    script_->spoken += more;
                }
                return more;
            }
            if (script_->drop_at_end) {
                return poe::make_error(poe::ErrorCode::connection_lost, "peer closed");
            }
        }
        // Silence: report the deadline as passed at once instead of sleeping.
        return poe::make_error(poe::ErrorCode::timeout, "nothing to read");
    }

    void close() noexcept override { closed_ = true; }

    [[nodiscard]] std::string peer_identity() const override { return "fuzz SHA256:fuzz"; }

private:
    std::shared_ptr<Script> script_;
    bool closed_{false};
};

// The session must never put the secret into an error, also not when the
// switch echoes it. The fuzzer can learn the secret (from comparisons) and
// make the scripted switch print it on its own; that is the switch's text,
// not a leak: so an error only counts when the script's bytes cannot spell
// the secret, raw, normalised, or with every byte outside the secret's
// alphabet dropped (what a cut escape sequence or a backspace could leave).
bool device_spelled(std::string_view delivered) {
    if (delivered.find(enable_secret) != std::string_view::npos ||
        ios::normalize_newlines(delivered).find(enable_secret) != std::string::npos) {
        return true;
    }
    std::string filtered;
    for (const char c : delivered) {
        if (enable_secret.find(c) != std::string_view::npos) {
            filtered += c;
        }
    }
    return filtered.find(enable_secret) != std::string::npos;
}

bool leaks_secret(const poe::Error& error, bool secret_set, const Script& script) {
    if (!secret_set || (error.message.find(enable_secret) == std::string::npos &&
                        error.device_text.find(enable_secret) == std::string::npos)) {
        return false;
    }
    return !device_spelled(script.spoken);
}

template <typename T>
void check_result(const poe::Result<T>& result, poe::Deadline deadline, bool secret_set, bool login,
                  const Script& script) {
    check(poe::Clock::now() <= deadline + overrun_tolerance, "an operation ran far past its deadline");
    if (!result) {
        if (poe_fuzz::verbose()) {
            std::fprintf(stderr, "op error (code %d): [%s]\n  device_text: [%s]\n",
                         static_cast<int>(result.error().code), result.error().message.c_str(),
                         result.error().device_text.c_str());
        }
        check(result.error().device_text.size() <= ios::max_device_text_bytes + 1024,
              "error device_text far above 8 KiB");
        // Only login errors are checked: later commands may print anything.
        if (login) {
            check(!leaks_secret(result.error(), secret_set, script),
                  "the enable secret appears in a login error");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    poe_fuzz::quiet_poe_log();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const std::uint8_t flags = data[0];
    auto script = std::make_shared<Script>();
    script->chatty = (flags & 0x02) != 0;
    script->drop_at_end = (flags & 0x04) != 0;
    script->piece_size = piece_sizes[(flags >> 3) & 0x07];
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::size_t start = 0;
    while (start <= rest.size()) {
        std::size_t end = rest.find(separator, start);
        if (end == std::string_view::npos) {
            end = rest.size();
        }
        script->answers.emplace_back(rest.substr(start, end - start));
        start = end + 1;
    }

    const bool secret_set = (flags & 0x01) != 0;
    ios::CiscoIosDriverOptions options;
    if (secret_set) {
        options.session.enable_secret = std::string(enable_secret);
    }
    options.connect_timeout = std::chrono::seconds{2};
    ios::CiscoIosDriver driver([script] { return std::make_unique<FuzzTransport>(script); }, options);

    const std::vector<poe::PortChange> changes{
        {"Gi1/0/1", poe::AdminSetting{poe::AdminMode::never, std::nullopt}},
        {"Gi1/0/2", poe::AdminSetting{poe::AdminMode::static_power, 15400U}},
    };
    enum class Op { connect, read, set, save, ping };
    static const std::array<std::vector<Op>, 4> sequences{{
        {Op::connect, Op::read, Op::set, Op::save, Op::ping},
        {Op::read, Op::read, Op::ping},
        {Op::set, Op::read, Op::set},
        {Op::ping, Op::save, Op::set, Op::read},
    }};
    for (const Op op : sequences[flags >> 6]) {
        const poe::Deadline deadline = poe::deadline_in(op_budget);
        switch (op) {
            case Op::connect:
                check_result(driver.connect(deadline), deadline, secret_set, true, *script);
                break;
            case Op::read:
                check_result(driver.read_ports(deadline), deadline, secret_set, false, *script);
                break;
            case Op::set:
                check_result(driver.set_admin(changes, deadline), deadline, secret_set, false, *script);
                break;
            case Op::save:
                check_result(driver.save_config(deadline), deadline, secret_set, false, *script);
                break;
            case Op::ping:
                check_result(driver.ping(deadline), deadline, secret_set, false, *script);
                break;
        }
        if (script->exhausted() && !script->chatty && script->connects > 8) {
            break;
        }
    }
    driver.disconnect();
    return 0;
}

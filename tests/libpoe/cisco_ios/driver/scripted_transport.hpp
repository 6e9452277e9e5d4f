// SPDX-License-Identifier: Apache-2.0
#pragma once

// An in-memory Transport whose peer is a small scripted IOS CLI, so the
// IosSession dialogue and the driver can be tested without sockets. The
// peer answers synchronously inside write(); read_some() hands out what it
// queued, chunk by chunk, and sleeps until the deadline when there is
// nothing (a silent switch).

#include "cisco_ios/transport.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace poe_test {

/// What the fake switch does and what it saw. Shared between the test and
/// the transport (which the session owns).
struct FakeIosCli {
    enum class Mode { user, privileged, config, config_if };

    // ---- behaviour
    std::string hostname{"sw1"};
    std::string newline{"\r\n"};
    std::string banner;                        ///< Sent before the first prompt.
    std::vector<std::string> greeting_chunks;  ///< Replaces banner + first prompt when set.
    std::optional<std::string> enable_secret;  ///< Set: login lands at user EXEC.
    bool reask_password{true};                 ///< Wrong secret: ask again (IOS) or say % Access denied.
    bool paging{true};                         ///< Until `terminal length 0`.
    std::size_t page_lines{4};
    std::size_t chunk_size{0};                   ///< Split every answer into chunks of this size (0: whole).
    std::string show_power_inline;               ///< Output of `show power inline`.
    std::map<std::string, std::string> outputs;  ///< Extra exec commands → output.
    std::map<std::string, std::string> rejects;  ///< Line → IOS error text (caret line added).
    std::set<std::string> hang_on;               ///< Lines that get no answer at all.
    std::set<std::string> drop_on;               ///< Lines after which the connection drops.
    std::map<std::string, std::string> raw_answers;  ///< Line → raw bytes instead of echo/output/prompt.
    std::string write_memory_output{"Building configuration...\r\n[OK]"};
    std::optional<poe::Error> connect_error;

    // ---- observed
    std::vector<std::string> writes;  ///< Every write() as sent.
    std::vector<std::string> lines;   ///< Every complete line received.
    Mode mode{Mode::privileged};
    int connects{0};
    bool dropped{false};
    bool closed{false};

    // ---- internal state of the dialogue
    std::deque<std::string> inbox;
    std::string line_buffer;
    bool awaiting_secret{false};
    int secret_attempts{0};
    std::vector<std::string> pending_pages;
    bool last_was_cr{false};

    std::string prompt() const {
        switch (mode) {
            case Mode::user:
                return hostname + ">";
            case Mode::privileged:
                return hostname + "#";
            case Mode::config:
                return hostname + "(config)#";
            case Mode::config_if:
                return hostname + "(config-if)#";
        }
        return hostname + "#";
    }

    void send(const std::string& bytes) {
        if (bytes.empty()) {
            return;
        }
        if (chunk_size == 0) {
            inbox.push_back(bytes);
            return;
        }
        for (std::size_t i = 0; i < bytes.size(); i += chunk_size) {
            inbox.push_back(bytes.substr(i, chunk_size));
        }
    }

    void start() {
        ++connects;
        mode = enable_secret ? Mode::user : Mode::privileged;
        if (!greeting_chunks.empty()) {
            for (const auto& chunk : greeting_chunks) {
                inbox.push_back(chunk);
            }
            return;
        }
        send(banner + prompt());
    }

    void feed(std::string_view bytes) {
        for (const char c : bytes) {
            if (dropped) {
                return;
            }
            if (!pending_pages.empty()) {
                if (c == ' ') {
                    // Erase the marker the way IOS does, then the next page.
                    send(std::string(10, '\b') + std::string(10, ' ') + std::string(10, '\b'));
                    next_page();
                }
                continue;
            }
            if (c == '\n' && last_was_cr) {
                last_was_cr = false;
                continue;
            }
            last_was_cr = c == '\r';
            if (c == '\r' || c == '\n') {
                std::string line = line_buffer;
                line_buffer.clear();
                lines.push_back(line);
                handle(line);
            } else {
                line_buffer += c;
            }
        }
    }

    void next_page() {
        std::string out = pending_pages.front();
        pending_pages.erase(pending_pages.begin());
        if (pending_pages.empty()) {
            send(out + newline + prompt());
        } else {
            send(out + newline + " --More-- ");
        }
    }

    void answer(const std::string& line, const std::string& output) {
        std::string text = line + newline;
        if (!output.empty()) {
            std::vector<std::string> out_lines;
            std::size_t pos = 0;
            while (pos <= output.size()) {
                std::size_t end = output.find('\n', pos);
                if (end == std::string::npos) {
                    end = output.size();
                }
                std::string one = output.substr(pos, end - pos);
                if (!one.empty() && one.back() == '\r') {
                    one.pop_back();
                }
                out_lines.push_back(one);
                pos = end + 1;
            }
            if (paging && out_lines.size() > page_lines) {
                for (std::size_t i = 0; i < out_lines.size(); i += page_lines) {
                    std::string page;
                    for (std::size_t j = i; j < std::min(out_lines.size(), i + page_lines); ++j) {
                        page += (j == i ? "" : newline) + out_lines[j];
                    }
                    pending_pages.push_back(page);
                }
                std::string first = pending_pages.front();
                pending_pages.erase(pending_pages.begin());
                send(text + first + newline + " --More-- ");
                return;
            }
            for (const auto& one : out_lines) {
                text += one + newline;
            }
        }
        send(text + prompt());
    }

    void reject(const std::string& line, const std::string& message) {
        const std::string caret = std::string(prompt().size(), ' ') + "^";
        send(line + newline + caret + newline + message + newline + newline + prompt());
    }

    void handle(const std::string& line) {
        if (awaiting_secret) {
            awaiting_secret = false;
            if (line == *enable_secret) {
                mode = Mode::privileged;
                send(newline + prompt());
            } else if (reask_password && ++secret_attempts < 3) {
                awaiting_secret = true;
                send(newline + "Password: ");
            } else {
                send(newline + "% Access denied" + newline + newline + prompt());
            }
            return;
        }
        if (hang_on.count(line) != 0) {
            return;
        }
        if (drop_on.count(line) != 0) {
            dropped = true;
            return;
        }
        if (auto raw = raw_answers.find(line); raw != raw_answers.end()) {
            send(raw->second);
            return;
        }
        if (auto rejected = rejects.find(line); rejected != rejects.end()) {
            reject(line, rejected->second);
            return;
        }
        const bool exec = mode == Mode::user || mode == Mode::privileged;
        if (line.empty()) {
            send(newline + prompt());
        } else if (exec && line == "enable") {
            if (mode == Mode::privileged || !enable_secret) {
                mode = Mode::privileged;
                answer(line, "");
            } else {
                awaiting_secret = true;
                secret_attempts = 0;
                send(line + newline + "Password: ");
            }
        } else if (exec && line == "terminal length 0") {
            paging = false;
            answer(line, "");
        } else if (exec && line == "show power inline") {
            answer(line, show_power_inline);
        } else if (exec && outputs.count(line) != 0) {
            answer(line, outputs.at(line));
        } else if ((exec && line.rfind("terminal width ", 0) == 0) ||
                   (mode == Mode::config_if && line.rfind("power inline ", 0) == 0)) {
            answer(line, "");
        } else if (mode == Mode::privileged && line == "configure terminal") {
            mode = Mode::config;
            answer(line, "Enter configuration commands, one per line.  End with CNTL/Z.");
        } else if (mode == Mode::privileged && line == "write memory") {
            answer(line, write_memory_output);
        } else if (exec && line == "exit") {
            dropped = true;
        } else if (!exec && line.rfind("interface ", 0) == 0) {
            mode = Mode::config_if;
            answer(line, "");
        } else if (!exec && line == "end") {
            mode = Mode::privileged;
            answer(line, "");
        } else {
            reject(line, "% Invalid input detected at '^' marker.");
        }
    }
};

/// The Transport an IosSession owns; the test keeps the FakeIosCli.
class ScriptedTransport final : public poe::ios::Transport {
public:
    explicit ScriptedTransport(std::shared_ptr<FakeIosCli> cli) : cli_(std::move(cli)) {}

    poe::Result<void> connect(poe::Deadline /*deadline*/) override {
        if (cli_->connect_error) {
            return *cli_->connect_error;
        }
        cli_->start();
        return poe::success();
    }

    poe::Result<void> write(std::string_view bytes, poe::Deadline /*deadline*/) override {
        if (cli_->dropped) {
            return poe::make_error(poe::ErrorCode::connection_lost, "peer closed");
        }
        cli_->writes.emplace_back(bytes);
        cli_->feed(bytes);
        return poe::success();
    }

    poe::Result<std::string> read_some(poe::Deadline deadline) override {
        if (!cli_->inbox.empty()) {
            std::string chunk = std::move(cli_->inbox.front());
            cli_->inbox.pop_front();
            return chunk;
        }
        if (cli_->dropped) {
            return poe::make_error(poe::ErrorCode::connection_lost, "peer closed");
        }
        if (poe::Clock::now() < deadline) {
            std::this_thread::sleep_until(deadline);
        }
        return poe::make_error(poe::ErrorCode::timeout, "nothing to read");
    }

    void close() noexcept override { cli_->closed = true; }

    [[nodiscard]] std::string peer_identity() const override { return "scripted SHA256:test"; }

private:
    std::shared_ptr<FakeIosCli> cli_;
};

}  // namespace poe_test

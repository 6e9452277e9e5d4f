#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <libssh/libssh.h>

namespace ios_sim_test {

struct ClientOptions {
    std::string user = "admin";
    std::optional<std::string> password = "secret";
    std::optional<std::string> key_file;  ///< publickey auth instead of password
    bool keyboard_interactive = false;    ///< answer the password via kbd-interactive
    /// Algorithm lists (libssh syntax); empty = libssh's defaults.
    std::string kex;
    std::string host_keys;
    std::string ciphers;
    std::string macs;
    std::string pubkey_types;  ///< user key signature algorithms
    std::chrono::seconds timeout{5};
};

/// A small blocking libssh client for the tests: connect, authenticate, then
/// an interactive PTY shell or one exec. Every read has a deadline.
class TestSshClient {
public:
    /// nullptr on failure; @p error says why (libssh's message).
    static std::unique_ptr<TestSshClient> connect(std::uint16_t port, const ClientOptions& options,
                                                  std::string* error = nullptr);
    ~TestSshClient();
    TestSshClient(const TestSshClient&) = delete;
    TestSshClient& operator=(const TestSshClient&) = delete;

    /// `SHA256:...` of the key the server presented.
    std::string server_fingerprint() const;

    bool open_shell();
    /// Runs one command on an exec channel; the output up to EOF, or nullopt.
    std::optional<std::string> exec(const std::string& command,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(5));
    int exit_status() const;

    bool send(std::string_view text);
    /// Reads until @p pattern has arrived; returns everything read so far
    /// (including the pattern) and keeps what follows. nullopt on timeout or
    /// EOF (what arrived stays in pending()).
    std::optional<std::string> read_until(std::string_view pattern,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
    /// Reads until the server closes the channel; true if it did in time.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    const std::string& pending() const { return buffer_; }

private:
    TestSshClient() = default;
    bool read_some(std::chrono::milliseconds timeout);

    ssh_session session_ = nullptr;
    ssh_channel channel_ = nullptr;
    std::string buffer_;
    bool eof_ = false;
};

}  // namespace ios_sim_test

#include "test_ssh_client.hpp"

#include <array>

namespace ios_sim_test {

namespace {

using Clock = std::chrono::steady_clock;

bool set_string(ssh_session session, ssh_options_e option, const std::string& value) {
    return value.empty() || ssh_options_set(session, option, value.c_str()) == SSH_OK;
}

bool authenticate(ssh_session session, const ClientOptions& options) {
    if (options.key_file) {
        ssh_key key = nullptr;
        if (ssh_pki_import_privkey_file(options.key_file->c_str(), nullptr, nullptr, nullptr, &key) !=
            SSH_OK) {
            return false;
        }
        const int rc = ssh_userauth_publickey(session, nullptr, key);
        ssh_key_free(key);
        return rc == SSH_AUTH_SUCCESS;
    }
    if (!options.password) {
        return false;
    }
    if (!options.keyboard_interactive) {
        return ssh_userauth_password(session, nullptr, options.password->c_str()) == SSH_AUTH_SUCCESS;
    }
    int rc = ssh_userauth_kbdint(session, nullptr, nullptr);
    while (rc == SSH_AUTH_INFO) {
        const int prompts = ssh_userauth_kbdint_getnprompts(session);
        for (int i = 0; i < prompts; ++i) {
            ssh_userauth_kbdint_setanswer(session, static_cast<unsigned>(i), options.password->c_str());
        }
        rc = ssh_userauth_kbdint(session, nullptr, nullptr);
    }
    return rc == SSH_AUTH_SUCCESS;
}

}  // namespace

std::unique_ptr<TestSshClient> TestSshClient::connect(std::uint16_t port, const ClientOptions& options,
                                                      std::string* error) {
    std::unique_ptr<TestSshClient> client(new TestSshClient());
    client->session_ = ssh_new();
    ssh_session session = client->session_;
    const unsigned int port_value = port;
    const long timeout = options.timeout.count();
    const bool process_config = false;
    const bool ok = ssh_options_set(session, SSH_OPTIONS_HOST, "127.0.0.1") == SSH_OK &&
                    ssh_options_set(session, SSH_OPTIONS_PORT, &port_value) == SSH_OK &&
                    ssh_options_set(session, SSH_OPTIONS_USER, options.user.c_str()) == SSH_OK &&
                    ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout) == SSH_OK &&
                    ssh_options_set(session, SSH_OPTIONS_PROCESS_CONFIG, &process_config) == SSH_OK &&
                    set_string(session, SSH_OPTIONS_KEY_EXCHANGE, options.kex) &&
                    set_string(session, SSH_OPTIONS_HOSTKEYS, options.host_keys) &&
                    set_string(session, SSH_OPTIONS_CIPHERS_C_S, options.ciphers) &&
                    set_string(session, SSH_OPTIONS_CIPHERS_S_C, options.ciphers) &&
                    set_string(session, SSH_OPTIONS_HMAC_C_S, options.macs) &&
                    set_string(session, SSH_OPTIONS_HMAC_S_C, options.macs) &&
                    set_string(session, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, options.pubkey_types);
    if (!ok) {
        if (error != nullptr) {
            *error = std::string("options: ") + ssh_get_error(session);
        }
        return nullptr;
    }
    if (ssh_connect(session) != SSH_OK) {
        if (error != nullptr) {
            *error = std::string("connect: ") + ssh_get_error(session);
        }
        return nullptr;
    }
    if (!authenticate(session, options)) {
        if (error != nullptr) {
            *error = std::string("auth: ") + ssh_get_error(session);
        }
        return nullptr;
    }
    return client;
}

TestSshClient::~TestSshClient() {
    if (channel_ != nullptr) {
        ssh_channel_free(channel_);
    }
    if (session_ != nullptr) {
        ssh_disconnect(session_);
        ssh_free(session_);
    }
}

std::string TestSshClient::server_fingerprint() const {
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(session_, &key) != SSH_OK) {
        return {};
    }
    unsigned char* hash = nullptr;
    size_t length = 0;
    std::string out;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK) {
        char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
        out = text;
        ssh_string_free_char(text);
        ssh_clean_pubkey_hash(&hash);
    }
    ssh_key_free(key);
    return out;
}

bool TestSshClient::open_shell() {
    channel_ = ssh_channel_new(session_);
    return channel_ != nullptr && ssh_channel_open_session(channel_) == SSH_OK &&
           ssh_channel_request_pty_size(channel_, "vt100", 80, 24) == SSH_OK &&
           ssh_channel_request_shell(channel_) == SSH_OK;
}

std::optional<std::string> TestSshClient::exec(const std::string& command,
                                               std::chrono::milliseconds timeout) {
    channel_ = ssh_channel_new(session_);
    if (channel_ == nullptr || ssh_channel_open_session(channel_) != SSH_OK ||
        ssh_channel_request_exec(channel_, command.c_str()) != SSH_OK) {
        return std::nullopt;
    }
    if (!wait_closed(timeout)) {
        return std::nullopt;
    }
    std::string out;
    out.swap(buffer_);
    return out;
}

int TestSshClient::exit_status() const {
    return channel_ != nullptr ? ssh_channel_get_exit_status(channel_) : -1;
}

bool TestSshClient::send(std::string_view text) {
    return ssh_channel_write(channel_, text.data(), static_cast<uint32_t>(text.size())) ==
           static_cast<int>(text.size());
}

bool TestSshClient::read_some(std::chrono::milliseconds timeout) {
    std::array<char, 4096> buf{};
    const int n = ssh_channel_read_timeout(channel_, buf.data(), static_cast<uint32_t>(buf.size()), 0,
                                           static_cast<int>(timeout.count()));
    if (n > 0) {
        buffer_.append(buf.data(), static_cast<std::size_t>(n));
        return true;
    }
    if (n == SSH_ERROR || ssh_channel_is_eof(channel_) != 0 || ssh_channel_is_closed(channel_) != 0) {
        eof_ = true;
    }
    return false;
}

std::optional<std::string> TestSshClient::read_until(std::string_view pattern,
                                                     std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        if (const auto at = buffer_.find(pattern); at != std::string::npos) {
            std::string out = buffer_.substr(0, at + pattern.size());
            buffer_.erase(0, at + pattern.size());
            return out;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (eof_ || left.count() <= 0) {
            return std::nullopt;
        }
        read_some(std::min(left, std::chrono::milliseconds(100)));
    }
}

bool TestSshClient::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!eof_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return false;
        }
        read_some(std::min(left, std::chrono::milliseconds(100)));
    }
    return true;
}

}  // namespace ios_sim_test

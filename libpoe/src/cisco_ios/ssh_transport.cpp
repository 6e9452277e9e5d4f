// SPDX-License-Identifier: Apache-2.0
// The only file of the project that includes libssh.
#include "cisco_ios/ssh_transport.hpp"

#include "cisco_ios/string_helpers.hpp"
#include "logging.hpp"

#include <libssh/libssh.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <string_view>
#include <vector>

namespace poe::ios {
namespace {

// libssh 0.10's default client lists (what it offers when nothing is set).
// Spelled out because legacy mode must ADD to them and libssh 0.10 has no
// "+algorithm" syntax.
constexpr std::string_view modern_kex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,diffie-hellman-group-exchange-sha256,"
    "diffie-hellman-group14-sha256";
constexpr std::string_view modern_hostkeys =
    "ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,ecdsa-sha2-nistp256,sk-ssh-ed25519@openssh.com,"
    "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
constexpr std::string_view modern_ciphers =
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,"
    "aes128-ctr";
constexpr std::string_view modern_macs =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512";

// What old IOS 15.x speaks. libssh silently drops entries it was built
// without (group1-sha1 in some builds), so listing them is safe.
constexpr std::string_view legacy_kex = "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1";
constexpr std::string_view legacy_hostkeys = "ssh-rsa";
constexpr std::string_view legacy_ciphers = "aes128-cbc,aes256-cbc";
constexpr std::string_view legacy_macs = "hmac-sha1";

// Algorithms whose presence in a failed negotiation means "this is an old
// switch": the hint to set legacy_algorithms then helps.
constexpr std::array<std::string_view, 11> legacy_names{"diffie-hellman-group14-sha1",
                                                        "diffie-hellman-group1-sha1",
                                                        "diffie-hellman-group-exchange-sha1",
                                                        "ssh-rsa",
                                                        "ssh-dss",
                                                        "aes128-cbc",
                                                        "aes192-cbc",
                                                        "aes256-cbc",
                                                        "3des-cbc",
                                                        "hmac-sha1",
                                                        "hmac-md5"};

// Each wait is capped so a libssh state we did not anticipate (data already
// buffered inside libssh) costs a short delay, never the whole deadline.
constexpr int max_poll_slice_ms = 200;
constexpr std::size_t read_chunk_bytes = std::size_t{64} * 1024;
constexpr int pty_columns = 511;
constexpr int pty_rows = 24;

std::vector<std::string_view> split_list(std::string_view list) {
    std::vector<std::string_view> items;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = trim(list.substr(0, comma));
        if (!item.empty()) {
            items.push_back(item);
        }
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    return items;
}

std::string join(std::string_view a, std::string_view b) {
    std::string out(a);
    if (!b.empty()) {
        out += ',';
        out += b;
    }
    return out;
}

// Rounded up: a wait must not end (and report a timeout) before the
// deadline has really passed.
int milliseconds_left(Deadline deadline) {
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) {
        return 0;
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<long long>(ms, INT_MAX));
}

// Host key algorithms with those for the key types known_hosts has for this
// switch first, so the switch shows us a key we can check.
std::string hostkey_preference(std::string_view base, const std::vector<std::string>& known_types) {
    std::vector<std::string_view> preferred;
    std::vector<std::string_view> rest;
    for (const std::string_view algorithm : split_list(base)) {
        bool known = false;
        for (const auto& type : known_types) {
            const bool rsa = type == "ssh-rsa" && (algorithm == "rsa-sha2-512" ||
                                                   algorithm == "rsa-sha2-256" || algorithm == "ssh-rsa");
            known = known || rsa || algorithm == type;
        }
        (known ? preferred : rest).push_back(algorithm);
    }
    std::string out;
    for (const auto* list : {&preferred, &rest}) {
        for (const std::string_view algorithm : *list) {
            if (!out.empty()) {
                out += ',';
            }
            out += algorithm;
        }
    }
    return out;
}

// "kex error : no match for method server host key algo: server [ssh-rsa],
// client [...]" → the server's list.
std::vector<std::string_view> server_offer(std::string_view message) {
    const std::size_t start = message.find("server [");
    if (start == std::string_view::npos) {
        return {};
    }
    const std::size_t end = message.find(']', start);
    if (end == std::string_view::npos) {
        return {};
    }
    return split_list(message.substr(start + 8, end - start - 8));
}

}  // namespace

struct SshTransport::Handles {
    ssh_session session{nullptr};
    ssh_channel channel{nullptr};

    Handles() = default;
    Handles(const Handles&) = delete;
    Handles& operator=(const Handles&) = delete;

    // Everything here is non-blocking (the session never leaves
    // non-blocking mode): close messages are queued and sent if the socket
    // takes them at once.
    ~Handles() {
        if (channel != nullptr) {
            ssh_channel_free(channel);
        }
        if (session != nullptr) {
            ssh_disconnect(session);
            ssh_free(session);
        }
    }
};

SshTransport::SshTransport(SshTransportOptions options, HostKeyPolicy host_key_policy)
    : options_(std::move(options)), host_key_policy_(std::move(host_key_policy)) {
}

SshTransport::~SshTransport() {
    SshTransport::close();
}

std::string SshTransport::where() const {
    return options_.host + ":" + std::to_string(options_.port);
}

Result<void> SshTransport::wait_socket(Deadline deadline) {
    const int left = milliseconds_left(deadline);
    if (left <= 0) {
        return make_error(ErrorCode::timeout, "deadline passed");
    }
    const int fd = ssh_get_fd(handles_->session);
    if (fd < 0) {
        return make_error(ErrorCode::connection_lost, "the connection to " + where() + " is closed");
    }
    const int flags = ssh_get_poll_flags(handles_->session);
    pollfd request{};
    request.fd = fd;
    request.events = POLLIN;
    if ((flags & SSH_WRITE_PENDING) != 0) {
        request.events = static_cast<short>(request.events | POLLOUT);
    }
    const int rc = ::poll(&request, 1, std::min(left, max_poll_slice_ms));
    if (rc < 0 && errno != EINTR) {
        return make_error(ErrorCode::connection_lost, "poll on the connection to " + where() + " failed");
    }
    return success();
}

Result<void> SshTransport::connect(Deadline deadline) {
    close();
    handles_ = std::make_unique<Handles>();
    handles_->session = ssh_new();
    ssh_session session = handles_->session;
    if (session == nullptr) {
        return make_error(ErrorCode::internal, "libssh could not create a session");
    }

    const unsigned port = options_.port;
    const bool process_config = false;  // never read ~/.ssh/config: behaviour must not depend on $HOME
    const int verbosity = SSH_LOG_NOLOG;
    const int nodelay = 1;  // one-line commands: Nagle would add a delay per round trip
    const char* no_file = "/dev/null";
    int rc = SSH_OK;
    rc |= ssh_options_set(session, SSH_OPTIONS_HOST, options_.host.c_str());
    rc |= ssh_options_set(session, SSH_OPTIONS_PORT, &port);
    rc |= ssh_options_set(session, SSH_OPTIONS_USER, options_.username.c_str());
    rc |= ssh_options_set(session, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
    rc |= ssh_options_set(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    rc |= ssh_options_set(session, SSH_OPTIONS_NODELAY, &nodelay);
    // Host keys are checked by HostKeyPolicy, not by libssh's files.
    rc |= ssh_options_set(session, SSH_OPTIONS_KNOWNHOSTS, no_file);
    rc |= ssh_options_set(session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, no_file);
    if (rc != SSH_OK) {
        return make_error(ErrorCode::invalid_argument,
                          "cannot use the SSH settings for " + where() + ": " + ssh_get_error(session));
    }

    const std::string hostkeys = hostkey_preference(
        options_.legacy_algorithms ? join(modern_hostkeys, legacy_hostkeys) : modern_hostkeys,
        host_key_policy_.known_key_types(options_.host, options_.port));
    rc = ssh_options_set(session, SSH_OPTIONS_HOSTKEYS, hostkeys.c_str());
    if (options_.legacy_algorithms) {
        const std::string kex = join(modern_kex, legacy_kex);
        const std::string ciphers = join(modern_ciphers, legacy_ciphers);
        const std::string macs = join(modern_macs, legacy_macs);
        const std::string pubkeys = join(modern_hostkeys, legacy_hostkeys);
        rc |= ssh_options_set(session, SSH_OPTIONS_KEY_EXCHANGE, kex.c_str());
        rc |= ssh_options_set(session, SSH_OPTIONS_CIPHERS_C_S, ciphers.c_str());
        rc |= ssh_options_set(session, SSH_OPTIONS_CIPHERS_S_C, ciphers.c_str());
        rc |= ssh_options_set(session, SSH_OPTIONS_HMAC_C_S, macs.c_str());
        rc |= ssh_options_set(session, SSH_OPTIONS_HMAC_S_C, macs.c_str());
        rc |= ssh_options_set(session, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, pubkeys.c_str());
    }
    if (rc != SSH_OK) {
        return make_error(ErrorCode::internal,
                          std::string("libssh refused the algorithm lists: ") + ssh_get_error(session));
    }

    ssh_set_blocking(session, 0);
    while ((rc = ssh_connect(session)) == SSH_AGAIN) {
        if (auto waited = wait_socket(deadline); !waited) {
            if (waited.error().code == ErrorCode::timeout) {
                return make_error(ErrorCode::timeout,
                                  "no SSH handshake with " + where() + " before the deadline");
            }
            return make_error(ErrorCode::connect_failed, waited.error().message);
        }
    }
    if (rc != SSH_OK) {
        const std::string message = ssh_get_error(session);
        if (message.find("no match for method") != std::string::npos) {
            bool offers_legacy = false;
            for (const std::string_view offered : server_offer(message)) {
                offers_legacy = offers_legacy || std::find(legacy_names.begin(), legacy_names.end(),
                                                           offered) != legacy_names.end();
            }
            std::string hint;
            if (offers_legacy && !options_.legacy_algorithms) {
                hint = "; the switch offers only legacy algorithms: set `legacy_algorithms: true` for it";
            } else if (options_.legacy_algorithms) {
                hint = " (also with legacy_algorithms enabled)";
            }
            return make_error(ErrorCode::connect_failed,
                              "SSH negotiation with " + where() + " failed: " + message + hint);
        }
        const char* banner = ssh_get_serverbanner(session);
        if (banner != nullptr && !options_.legacy_algorithms) {
            // The switch hung up after its banner, before keys were agreed.
            // That is how a switch that finds none of its (legacy)
            // algorithms in our offer reacts, and its hang-up can overtake
            // the algorithm list, so the list is not always known here.
            return make_error(ErrorCode::connect_failed,
                              "cannot connect to " + where() + ": " + message +
                                  " during the SSH key exchange (" + quote_for_message(banner) +
                                  "); if the switch offers only legacy algorithms (old IOS 15.x), set "
                                  "`legacy_algorithms: true` for it");
        }
        if (banner == nullptr && (message.find("disconnected") != std::string::npos ||
                                  message.find("reset by peer") != std::string::npos)) {
            // TCP was accepted, then closed (or reset, when our own
            // identification was already on its way) before any SSH
            // identification: what IOS does when every vty line is in use.
            return make_error(ErrorCode::connect_failed,
                              "cannot connect to " + where() + ": " + message +
                                  " before the SSH banner (are all of the switch's vty lines in use? "
                                  "`show users` on the switch; or an access-class refuses us)");
        }
        return make_error(ErrorCode::connect_failed, "cannot connect to " + where() + ": " + message);
    }

    // Before any credential leaves this process.
    if (auto verified = verify_host_key(); !verified) {
        return verified;
    }
    if (auto authenticated = authenticate(deadline); !authenticated) {
        return authenticated;
    }
    if (auto shell = open_shell(deadline); !shell) {
        return shell;
    }
    detail::log(LogLevel::debug, "cisco-ios: SSH session to ", where(), " open (", ssh_get_kex_algo(session),
                ", ", ssh_get_cipher_in(session), ")");
    return success();
}

Result<void> SshTransport::verify_host_key() {
    ssh_key key = nullptr;
    if (ssh_get_server_publickey(handles_->session, &key) != SSH_OK || key == nullptr) {
        return make_error(ErrorCode::connect_failed, "the switch at " + where() + " presented no host key");
    }
    const std::unique_ptr<ssh_key_struct, void (*)(ssh_key)> key_guard(key, ssh_key_free);

    PresentedHostKey presented;
    const char* type_name = ssh_key_type_to_char(ssh_key_type(key));
    presented.type = type_name != nullptr ? type_name : "unknown";

    char* base64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &base64) != SSH_OK || base64 == nullptr) {
        return make_error(ErrorCode::connect_failed, "cannot encode the host key of " + where());
    }
    presented.base64 = base64;
    ssh_string_free_char(base64);

    unsigned char* hash = nullptr;
    std::size_t hash_length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hash_length) != SSH_OK) {
        return make_error(ErrorCode::connect_failed, "cannot hash the host key of " + where());
    }
    char* fingerprint = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hash_length);
    ssh_clean_pubkey_hash(&hash);
    if (fingerprint == nullptr) {
        return make_error(ErrorCode::connect_failed, "cannot hash the host key of " + where());
    }
    presented.fingerprint = fingerprint;
    ssh_string_free_char(fingerprint);

    if (auto verified = host_key_policy_.verify(options_.host, options_.port, presented); !verified) {
        return verified;
    }
    peer_identity_ = presented.type + " " + presented.fingerprint;
    return success();
}

Result<void> SshTransport::authenticate(Deadline deadline) {
    ssh_session session = handles_->session;
    // Repeats a non-blocking libssh auth call until it has an answer.
    auto pump = [&](auto&& step) -> Result<int> {
        while (true) {
            const int rc = step();
            if (rc != SSH_AUTH_AGAIN) {
                return rc;
            }
            if (auto waited = wait_socket(deadline); !waited) {
                if (waited.error().code == ErrorCode::timeout) {
                    return make_error(ErrorCode::timeout,
                                      "no answer to the SSH login at " + where() + " before the deadline");
                }
                return std::move(waited).error();
            }
        }
    };
    auto failed = [&](std::string_view step) {
        return make_error(ErrorCode::connect_failed, "SSH login at " + where() + " failed during " +
                                                         std::string(step) + ": " + ssh_get_error(session));
    };

    auto none = pump([&] { return ssh_userauth_none(session, nullptr); });
    if (!none) {
        return std::move(none).error();
    }
    if (*none == SSH_AUTH_SUCCESS) {
        return success();
    }
    if (*none == SSH_AUTH_ERROR) {
        return failed("the method query");
    }

    std::vector<std::string> tried;
    int methods = ssh_userauth_list(session, nullptr);

    if (!options_.private_key_file.empty() && (methods & SSH_AUTH_METHOD_PUBLICKEY) != 0) {
        ssh_key private_key = nullptr;
        const char* passphrase =
            options_.private_key_passphrase.empty() ? nullptr : options_.private_key_passphrase.c_str();
        if (ssh_pki_import_privkey_file(options_.private_key_file.c_str(), passphrase, nullptr, nullptr,
                                        &private_key) != SSH_OK) {
            return make_error(ErrorCode::auth_failed, "cannot load private_key_file " +
                                                          options_.private_key_file +
                                                          " (missing, unreadable, or wrong passphrase)");
        }
        const std::unique_ptr<ssh_key_struct, void (*)(ssh_key)> key_guard(private_key, ssh_key_free);
        tried.emplace_back("publickey");
        auto result = pump([&] { return ssh_userauth_publickey(session, nullptr, private_key); });
        if (!result) {
            return std::move(result).error();
        }
        if (*result == SSH_AUTH_SUCCESS) {
            return success();
        }
        if (*result == SSH_AUTH_ERROR) {
            return failed("public key authentication");
        }
        methods = ssh_userauth_list(session, nullptr);
    }

    if (!options_.password.empty() && (methods & SSH_AUTH_METHOD_PASSWORD) != 0) {
        tried.emplace_back("password");
        auto result =
            pump([&] { return ssh_userauth_password(session, nullptr, options_.password.c_str()); });
        if (!result) {
            return std::move(result).error();
        }
        if (*result == SSH_AUTH_SUCCESS) {
            return success();
        }
        if (*result == SSH_AUTH_ERROR) {
            return failed("password authentication");
        }
        methods = ssh_userauth_list(session, nullptr);
    } else if (!options_.password.empty() && (methods & SSH_AUTH_METHOD_INTERACTIVE) != 0) {
        // IOS with AAA often offers only keyboard-interactive: answer every
        // hidden prompt with the password, a visible one with the user name.
        tried.emplace_back("keyboard-interactive");
        for (int round = 0; round < 8; ++round) {
            auto result = pump([&] { return ssh_userauth_kbdint(session, nullptr, nullptr); });
            if (!result) {
                return std::move(result).error();
            }
            if (*result == SSH_AUTH_SUCCESS) {
                return success();
            }
            if (*result == SSH_AUTH_ERROR) {
                return failed("keyboard-interactive authentication");
            }
            if (*result != SSH_AUTH_INFO) {
                break;
            }
            const int prompts = ssh_userauth_kbdint_getnprompts(session);
            for (int i = 0; i < prompts; ++i) {
                char echo = 0;
                (void)ssh_userauth_kbdint_getprompt(session, static_cast<unsigned>(i), &echo);
                const std::string& answer = echo != 0 ? options_.username : options_.password;
                if (ssh_userauth_kbdint_setanswer(session, static_cast<unsigned>(i), answer.c_str()) < 0) {
                    return failed("keyboard-interactive authentication");
                }
            }
        }
    }

    std::string offered;
    const std::array<std::pair<int, std::string_view>, 3> names{
        {{SSH_AUTH_METHOD_PUBLICKEY, "publickey"},
         {SSH_AUTH_METHOD_PASSWORD, "password"},
         {SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive"}}};
    for (const auto& [bit, name] : names) {
        if ((methods & bit) != 0) {
            offered += offered.empty() ? "" : ", ";
            offered += name;
        }
    }
    std::string tried_text;
    for (const auto& name : tried) {
        tried_text += tried_text.empty() ? "" : ", ";
        tried_text += name;
    }
    return make_error(ErrorCode::auth_failed,
                      "the switch at " + where() + " refused the login of user " +
                          quote_for_message(options_.username) +
                          " (tried: " + (tried_text.empty() ? "nothing usable" : tried_text) +
                          "; the switch offers: " + (offered.empty() ? "none" : offered) + ")");
}

Result<void> SshTransport::open_shell(Deadline deadline) {
    ssh_session session = handles_->session;
    handles_->channel = ssh_channel_new(session);
    ssh_channel channel = handles_->channel;
    if (channel == nullptr) {
        return make_error(ErrorCode::internal, "libssh could not create a channel");
    }
    auto pump = [&](std::string_view step, auto&& call) -> Result<void> {
        while (true) {
            const int rc = call();
            if (rc == SSH_OK) {
                return success();
            }
            if (rc != SSH_AGAIN) {
                // E.g. every vty line in use: IOS refuses the channel.
                return make_error(ErrorCode::connect_failed, "the switch at " + where() + " refused " +
                                                                 std::string(step) + ": " +
                                                                 ssh_get_error(session));
            }
            if (auto waited = wait_socket(deadline); !waited) {
                if (waited.error().code == ErrorCode::timeout) {
                    return make_error(ErrorCode::timeout, "no answer to " + std::string(step) + " from " +
                                                              where() + " before the deadline");
                }
                return std::move(waited).error();
            }
        }
    };
    if (auto opened = pump("the session channel", [&] { return ssh_channel_open_session(channel); });
        !opened) {
        return opened;
    }
    // A wide terminal so IOS never wraps our commands' echo.
    if (auto pty =
            pump("the terminal (pty) request",
                 [&] { return ssh_channel_request_pty_size(channel, "vt100", pty_columns, pty_rows); });
        !pty) {
        return pty;
    }
    return pump("the shell request", [&] { return ssh_channel_request_shell(channel); });
}

Result<void> SshTransport::write(std::string_view bytes, Deadline deadline) {
    if (!handles_ || handles_->channel == nullptr) {
        return make_error(ErrorCode::connection_lost, "not connected to " + where());
    }
    ssh_session session = handles_->session;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        const auto chunk =
            static_cast<std::uint32_t>(std::min<std::size_t>(bytes.size() - offset, std::size_t{32} * 1024));
        const int written = ssh_channel_write(handles_->channel, bytes.data() + offset, chunk);
        if (written == SSH_ERROR) {
            return make_error(ErrorCode::connection_lost,
                              "connection to " + where() + " lost while sending: " + ssh_get_error(session));
        }
        offset += static_cast<std::size_t>(written);
        if (offset < bytes.size()) {
            // The peer's window is full: wait for it to take more.
            if (auto waited = wait_socket(deadline); !waited) {
                return waited;
            }
        }
    }
    const int flushed = ssh_blocking_flush(session, milliseconds_left(deadline));
    if (flushed == SSH_ERROR) {
        return make_error(ErrorCode::connection_lost,
                          "connection to " + where() + " lost while sending: " + ssh_get_error(session));
    }
    if (flushed == SSH_AGAIN) {
        return make_error(ErrorCode::timeout, "the switch at " + where() + " did not take our input in time");
    }
    return success();
}

Result<std::string> SshTransport::read_some(Deadline deadline) {
    if (!handles_ || handles_->channel == nullptr) {
        return make_error(ErrorCode::connection_lost, "not connected to " + where());
    }
    ssh_channel channel = handles_->channel;
    while (true) {
        const int available = ssh_channel_poll_timeout(channel, milliseconds_left(deadline), 0);
        if (available == SSH_ERROR) {
            return make_error(ErrorCode::connection_lost,
                              "connection to " + where() + " lost: " + ssh_get_error(handles_->session));
        }
        if (available == SSH_EOF) {
            return make_error(ErrorCode::connection_lost, "the switch at " + where() + " closed the session");
        }
        if (available > 0) {
            std::string buffer(std::min<std::size_t>(static_cast<std::size_t>(available), read_chunk_bytes),
                               '\0');
            const int got = ssh_channel_read_nonblocking(channel, buffer.data(),
                                                         static_cast<std::uint32_t>(buffer.size()), 0);
            if (got > 0) {
                buffer.resize(static_cast<std::size_t>(got));
                return buffer;
            }
            if (got == SSH_ERROR || got == SSH_EOF) {
                return make_error(ErrorCode::connection_lost,
                                  "connection to " + where() + " lost while reading");
            }
        }
        if (Clock::now() >= deadline) {
            return make_error(ErrorCode::timeout, "no data from " + where() + " before the deadline");
        }
    }
}

void SshTransport::close() noexcept {
    handles_.reset();
}

}  // namespace poe::ios

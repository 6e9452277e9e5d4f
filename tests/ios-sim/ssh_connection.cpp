#include "ssh_connection.hpp"

#include <algorithm>
#include <array>

namespace ios_sim {

namespace {

// `ip ssh time-out` and `ip ssh authentication-retries` defaults.
constexpr auto login_grace = std::chrono::seconds(60);
constexpr int max_auth_failures = 3;
constexpr long key_exchange_timeout_s = 10;
// Upper bound on one poll so that shutdown and drop requests are noticed.
constexpr auto poll_slice = std::chrono::milliseconds(100);
constexpr auto close_grace = std::chrono::milliseconds(500);
// A client that keeps sending while we are busy is not allowed to grow our
// buffer without bound.
constexpr std::size_t max_pending_input = std::size_t{64} * 1024;

int poll_timeout_ms(std::optional<Clock::time_point> wakeup) {
    const auto now = Clock::now();
    auto timeout = poll_slice;
    if (wakeup) {
        const auto until = std::chrono::ceil<std::chrono::milliseconds>(*wakeup - now);
        timeout = std::clamp(until, std::chrono::milliseconds(0), poll_slice);
    }
    return static_cast<int>(timeout.count());
}

}  // namespace

SshConnection::SshConnection(SimContext& context, ssh_session session, unsigned id)
    : context_(context), session_(session), id_(id), drop_generation_(context.drop_generation.load()) {
}

SshConnection::~SshConnection() {
    cli_.reset();
    if (event_ != nullptr) {
        ssh_event_remove_session(event_, session_);
        ssh_event_free(event_);
    }
    ssh_free(session_);
}

void SshConnection::log(const std::string& text) const {
    if (context_.verbose) {
        log_line("[" + std::to_string(id_) + "] " + text);
    }
}

bool SshConnection::alive() const {
    return (ssh_get_status(session_) & (SSH_CLOSED | SSH_CLOSED_ERROR)) == 0 &&
           ssh_is_connected(session_) != 0;
}

void SshConnection::run() {
    if (authenticate_and_open()) {
        serve_cli();
    }
    record_end();
}

void SshConnection::record_end() {
    if (ended_) {
        return;
    }
    ended_ = true;
    const bool in_config = cli_ && cli_->mode() != CliMode::exec;
    const bool timed_out = cli_ && cli_->timed_out();
    cli_.reset();  // ends a switch command still in flight
    context_.stats.session_closed(in_config, timed_out);
    log(std::string("session ended") + (in_config ? " in configuration mode" : ""));
}

bool SshConnection::authenticate_and_open() {
    long timeout = key_exchange_timeout_s;
    ssh_options_set(session_, SSH_OPTIONS_TIMEOUT, &timeout);

    ssh_callbacks_init(&server_callbacks_);
    server_callbacks_.userdata = this;
    server_callbacks_.auth_password_function = &SshConnection::on_auth_password;
    server_callbacks_.auth_pubkey_function = &SshConnection::on_auth_pubkey;
    server_callbacks_.channel_open_request_session_function = &SshConnection::on_channel_open;
    ssh_set_server_callbacks(session_, &server_callbacks_);
    // Keyboard-interactive has no server callback in libssh 0.10.
    ssh_set_message_callback(session_, &SshConnection::on_message, this);
    ssh_set_auth_methods(session_,
                         SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_INTERACTIVE);

    if (ssh_handle_key_exchange(session_) != SSH_OK) {
        log(std::string("key exchange failed: ") + ssh_get_error(session_));
        return false;
    }
    event_ = ssh_event_new();
    if (event_ == nullptr || ssh_event_add_session(event_, session_) != SSH_OK) {
        return false;
    }
    const auto deadline = Clock::now() + login_grace;
    while (request_ == Request::none) {
        if (context_.stopping || Clock::now() > deadline || auth_failures_ >= max_auth_failures) {
            ssh_disconnect(session_);
            return false;
        }
        if (ssh_event_dopoll(event_, static_cast<int>(poll_slice.count())) == SSH_ERROR || !alive()) {
            return false;
        }
    }
    return true;
}

bool SshConnection::write_all(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto chunk =
            static_cast<uint32_t>(std::min<std::size_t>(data.size() - done, std::size_t{32} * 1024));
        const int written = ssh_channel_write(channel_, data.data() + done, chunk);
        if (written == SSH_ERROR) {
            return false;
        }
        done += static_cast<std::size_t>(written);
    }
    return true;
}

void SshConnection::close_channel() {
    // IOS reports success for whatever the one exec command printed.
    ssh_channel_request_send_exit_status(channel_, 0);
    ssh_channel_send_eof(channel_);
    ssh_channel_close(channel_);
    // Give the client a moment to close its side and hang up itself, so it
    // does not see its own goodbye fail on a socket we already closed.
    const auto deadline = Clock::now() + close_grace;
    while (!peer_closed_ && alive() && Clock::now() < deadline) {
        if (ssh_event_dopoll(event_, static_cast<int>(poll_slice.count())) == SSH_ERROR) {
            break;
        }
    }
    ssh_disconnect(session_);
}

void SshConnection::serve_cli() {
    SessionEnv env{context_.state, context_.faults, context_.stats, context_.settings, context_.booted};
    cli_ = std::make_unique<CliSession>(env, privileged_);
    if (request_ == Request::exec) {
        log("exec: " + exec_command_);
        cli_->start_exec(exec_command_, Clock::now());
    } else {
        cli_->start_shell(Clock::now());
    }
    while (true) {
        const auto now = Clock::now();
        if (!pending_input_.empty()) {
            cli_->feed(pending_input_, now);
            pending_input_.clear();
        }
        if (peer_eof_) {
            cli_->peer_eof();
        }
        cli_->advance(now);
        if (const std::string out = cli_->take_output(); !out.empty() && !write_all(out)) {
            return;
        }
        switch (cli_->outcome()) {
            case CliSession::Outcome::close:
                log(cli_->timed_out() ? "exec-timeout: closing" : "closing");
                // Counted before the client can see the connection go.
                record_end();
                close_channel();
                return;
            case CliSession::Outcome::drop:
                log("dropping the connection");
                record_end();
                ssh_silent_disconnect(session_);
                return;
            case CliSession::Outcome::running:
                break;
        }
        if (peer_closed_ || !alive()) {
            return;
        }
        if (context_.stopping || context_.drop_generation.load() != drop_generation_) {
            record_end();
            ssh_silent_disconnect(session_);
            return;
        }
        if (ssh_event_dopoll(event_, poll_timeout_ms(cli_->next_wakeup())) == SSH_ERROR) {
            return;
        }
    }
}

int SshConnection::check_login(const std::string& user, bool credentials_ok) {
    if (context_.faults.take_refuse_login()) {
        ++auth_failures_;
        context_.stats.login_failed(false);
        log("login refused by fault for " + user);
        return SSH_AUTH_DENIED;
    }
    if (!credentials_ok) {
        ++auth_failures_;
        context_.stats.login_failed(false);
        log("bad credentials for " + user);
        return SSH_AUTH_DENIED;
    }
    if (!context_.login_limiter.try_acquire(Clock::now(), context_.settings.get().login_rate)) {
        ++auth_failures_;
        context_.stats.login_failed(true);
        log("login rate limit reached, refusing " + user);
        return SSH_AUTH_DENIED;
    }
    user_ = user;
    authenticated_ = true;
    privileged_ = context_.users.privileged.count(user) > 0;
    context_.stats.login_succeeded();
    log("logged in: " + user);
    return SSH_AUTH_SUCCESS;
}

int SshConnection::on_auth_password(ssh_session, const char* user, const char* password, void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    return self->check_login(user, self->context_.users.password_ok(user, password));
}

int SshConnection::on_auth_pubkey(ssh_session, const char* user, ssh_key pubkey, char signature_state,
                                  void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    // Old IOS knows only RSA user keys; refusing others already at the probe
    // lets the client move on (libssh would otherwise ignore the signature).
    if (self->context_.legacy_only && ssh_key_type(pubkey) != SSH_KEYTYPE_RSA) {
        return SSH_AUTH_DENIED;
    }
    const bool known = self->context_.users.key_ok(user, pubkey);
    if (signature_state == SSH_PUBLICKEY_STATE_NONE) {
        // A probe ("would you accept this key?"), not a login attempt.
        return known ? SSH_AUTH_SUCCESS : SSH_AUTH_DENIED;
    }
    if (signature_state == SSH_PUBLICKEY_STATE_VALID) {
        return self->check_login(user, known);
    }
    return SSH_AUTH_DENIED;
}

int SshConnection::on_message(ssh_session session, ssh_message message, void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    if (ssh_message_type(message) != SSH_REQUEST_AUTH ||
        ssh_message_subtype(message) != SSH_AUTH_METHOD_INTERACTIVE) {
        return 1;  // libssh sends its default (negative) reply
    }
    if (ssh_message_auth_kbdint_is_response(message) == 0) {
        const char* user = ssh_message_auth_user(message);
        self->kbdint_user_ = user != nullptr ? user : "";
        std::array<const char*, 1> prompts{"Password: "};
        std::array<char, 1> echo{0};
        ssh_message_auth_interactive_request(message, "", "", 1, prompts.data(), echo.data());
        return 0;
    }
    const char* answer =
        ssh_userauth_kbdint_getnanswers(session) == 1 ? ssh_userauth_kbdint_getanswer(session, 0) : nullptr;
    const bool ok = answer != nullptr && self->context_.users.password_ok(self->kbdint_user_, answer);
    if (self->check_login(self->kbdint_user_, ok) == SSH_AUTH_SUCCESS) {
        ssh_message_auth_reply_success(message, 0);
        return 0;
    }
    return 1;
}

ssh_channel SshConnection::on_channel_open(ssh_session session, void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    // IOS serves one session channel per connection.
    if (!self->authenticated_ || self->channel_ != nullptr) {
        return nullptr;
    }
    self->channel_ = ssh_channel_new(session);
    if (self->channel_ == nullptr) {
        return nullptr;
    }
    auto& callbacks = self->channel_callbacks_;
    ssh_callbacks_init(&callbacks);
    callbacks.userdata = self;
    callbacks.channel_data_function = &SshConnection::on_data;
    callbacks.channel_eof_function = &SshConnection::on_eof;
    callbacks.channel_close_function = &SshConnection::on_close;
    callbacks.channel_pty_request_function = &SshConnection::on_pty_request;
    callbacks.channel_pty_window_change_function = &SshConnection::on_pty_resize;
    callbacks.channel_shell_request_function = &SshConnection::on_shell_request;
    callbacks.channel_exec_request_function = &SshConnection::on_exec_request;
    callbacks.channel_env_request_function = &SshConnection::on_env_request;
    callbacks.channel_subsystem_request_function = &SshConnection::on_subsystem_request;
    ssh_set_channel_callbacks(self->channel_, &callbacks);
    return self->channel_;
}

int SshConnection::on_data(ssh_session, ssh_channel, void* data, uint32_t len, int is_stderr,
                           void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    if (is_stderr == 0 && self->pending_input_.size() < max_pending_input) {
        self->pending_input_.append(static_cast<const char*>(data), len);
    }
    return static_cast<int>(len);
}

void SshConnection::on_eof(ssh_session, ssh_channel, void* userdata) {
    static_cast<SshConnection*>(userdata)->peer_eof_ = true;
}

void SshConnection::on_close(ssh_session, ssh_channel, void* userdata) {
    static_cast<SshConnection*>(userdata)->peer_closed_ = true;
}

int SshConnection::on_pty_request(ssh_session, ssh_channel, const char*, int, int, int, int, void*) {
    return 0;
}

int SshConnection::on_pty_resize(ssh_session, ssh_channel, int, int, int, int, void*) {
    return 0;
}

int SshConnection::on_shell_request(ssh_session, ssh_channel, void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    if (self->request_ != Request::none) {
        return -1;
    }
    self->request_ = Request::shell;
    return 0;
}

int SshConnection::on_exec_request(ssh_session, ssh_channel, const char* command, void* userdata) {
    auto* self = static_cast<SshConnection*>(userdata);
    if (self->request_ != Request::none) {
        return -1;
    }
    self->request_ = Request::exec;
    self->exec_command_ = command;
    return 0;
}

int SshConnection::on_env_request(ssh_session, ssh_channel, const char*, const char*, void*) {
    return 0;
}

int SshConnection::on_subsystem_request(ssh_session, ssh_channel, const char*, void*) {
    return -1;
}

}  // namespace ios_sim

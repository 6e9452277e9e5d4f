#pragma once

#include <memory>
#include <optional>
#include <string>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "cli_session.hpp"
#include "sim_context.hpp"

namespace ios_sim {

/// One accepted TCP connection: key exchange, authentication, one session
/// channel (shell or exec) driving a CliSession. Runs on its own thread and
/// owns the ssh_session.
class SshConnection {
public:
    SshConnection(SimContext& context, ssh_session session, unsigned id);
    ~SshConnection();
    SshConnection(const SshConnection&) = delete;
    SshConnection& operator=(const SshConnection&) = delete;

    /// Serves the connection until it ends; updates the session counters.
    void run();

private:
    enum class Request { none, shell, exec };

    bool authenticate_and_open();
    void serve_cli();
    bool alive() const;
    bool write_all(const std::string& data);
    void close_channel();
    /// Updates the session counters once, before the client sees the end.
    void record_end();
    void log(const std::string& text) const;

    int check_login(const std::string& user, bool credentials_ok);

    static int on_auth_password(ssh_session session, const char* user, const char* password, void* userdata);
    static int on_auth_pubkey(ssh_session session, const char* user, ssh_key pubkey, char signature_state,
                              void* userdata);
    static int on_message(ssh_session session, ssh_message message, void* userdata);
    static ssh_channel on_channel_open(ssh_session session, void* userdata);
    static int on_data(ssh_session session, ssh_channel channel, void* data, uint32_t len, int is_stderr,
                       void* userdata);
    static void on_eof(ssh_session session, ssh_channel channel, void* userdata);
    static void on_close(ssh_session session, ssh_channel channel, void* userdata);
    static int on_pty_request(ssh_session session, ssh_channel channel, const char* term, int width,
                              int height, int pxwidth, int pxheight, void* userdata);
    static int on_pty_resize(ssh_session session, ssh_channel channel, int width, int height, int pxwidth,
                             int pxheight, void* userdata);
    static int on_shell_request(ssh_session session, ssh_channel channel, void* userdata);
    static int on_exec_request(ssh_session session, ssh_channel channel, const char* command, void* userdata);
    static int on_env_request(ssh_session session, ssh_channel channel, const char* name, const char* value,
                              void* userdata);
    static int on_subsystem_request(ssh_session session, ssh_channel channel, const char* subsystem,
                                    void* userdata);

    SimContext& context_;
    ssh_session session_;
    ssh_event event_ = nullptr;
    ssh_channel channel_ = nullptr;
    const unsigned id_;
    const unsigned drop_generation_;

    ssh_server_callbacks_struct server_callbacks_{};
    ssh_channel_callbacks_struct channel_callbacks_{};

    std::string user_;
    std::string kbdint_user_;
    bool authenticated_ = false;
    bool privileged_ = false;
    int auth_failures_ = 0;
    Request request_ = Request::none;
    std::string exec_command_;
    std::string pending_input_;
    bool peer_eof_ = false;
    bool peer_closed_ = false;
    bool ended_ = false;
    std::unique_ptr<CliSession> cli_;
};

}  // namespace ios_sim

// SPDX-License-Identifier: Apache-2.0
#include "config/secret_reader.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace maas_bridge {
namespace {

poe::Error bad(std::string_view kind, const std::string& path, std::string_view why) {
    return poe::make_error(poe::ErrorCode::invalid_argument,
                           std::string(kind) + " \"" + path + "\": " + std::string(why));
}

// Owns a file descriptor.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    [[nodiscard]] int get() const { return fd_; }

private:
    int fd_;
};

std::string errno_text(int error) {
    std::array<char, 256> buffer{};
    // GNU strerror_r returns the text (maybe not in buffer).
    return ::strerror_r(error, buffer.data(), buffer.size());
}

}  // namespace

poe::Result<SecretText> read_private_file(const std::string& path, std::size_t max_bytes,
                                          std::string_view kind) {
    // O_NONBLOCK so a FIFO placed where a secret should be cannot hang startup.
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        return bad(kind, path, errno_text(errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return bad(kind, path, errno_text(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        return bad(kind, path, "not a regular file");
    }
    if (info.st_size > static_cast<off_t>(max_bytes)) {
        return bad(kind, path, "larger than " + std::to_string(max_bytes) + " bytes");
    }
    std::string content;
    std::array<char, 1024> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return bad(kind, path, errno_text(errno));
        }
        if (n == 0) {
            break;
        }
        content.append(buffer.data(), static_cast<std::size_t>(n));
        // The file may grow between fstat and read.
        if (content.size() > max_bytes) {
            return bad(kind, path, "larger than " + std::to_string(max_bytes) + " bytes");
        }
    }
    SecretText out{std::move(content), {}};
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        out.warning = std::string(kind) + " \"" + path + "\" is accessible by group or others (chmod 600 it)";
    }
    return out;
}

poe::Result<SecretText> read_secret_file(const std::string& path) {
    auto file = read_private_file(path, max_secret_bytes, "secret file");
    if (!file) {
        return file;
    }
    std::string& content = file->value;
    if (content.ends_with("\r\n")) {
        content.resize(content.size() - 2);
    } else if (content.ends_with('\n')) {
        content.pop_back();
    }
    if (content.empty()) {
        return bad("secret file", path, "is empty");
    }
    if (content.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
        return bad("secret file", path,
                   "contains a line break or NUL byte (one secret per file, on one line)");
    }
    return file;
}

poe::Result<std::string> credential_path(std::string_view credentials_directory, std::string_view name,
                                         std::string_view alternative) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "credential name \"" + std::string(name) + "\" must be a plain file name");
    }
    if (credentials_directory.empty()) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "credential \"" + std::string(name) +
                                   "\": $CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the "
                                   "systemd unit, or " +
                                   std::string(alternative) + " instead)");
    }
    std::string path(credentials_directory);
    if (!path.ends_with('/')) {
        path += '/';
    }
    path += name;
    return path;
}

poe::Result<SecretText> read_credential(std::string_view credentials_directory, std::string_view name) {
    auto path = credential_path(credentials_directory, name, "KEY_file");
    if (!path) {
        return path.error();
    }
    auto secret = read_secret_file(*path);
    if (secret) {
        // systemd makes credentials private to the service; mode bits do not matter.
        secret->warning.clear();
    }
    return secret;
}

}  // namespace maas_bridge

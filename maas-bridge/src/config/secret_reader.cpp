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

poe::Error bad(const std::string& path, std::string_view why) {
    return poe::make_error(poe::ErrorCode::invalid_argument,
                           "secret file \"" + path + "\": " + std::string(why));
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

poe::Result<SecretText> read_secret_file(const std::string& path) {
    // O_NONBLOCK so a FIFO placed where a secret should be cannot hang startup.
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        return bad(path, errno_text(errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return bad(path, errno_text(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        return bad(path, "not a regular file");
    }
    if (info.st_size > static_cast<off_t>(max_secret_bytes)) {
        return bad(path, "larger than " + std::to_string(max_secret_bytes) + " bytes");
    }
    std::string content;
    std::array<char, 1024> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return bad(path, errno_text(errno));
        }
        if (n == 0) {
            break;
        }
        content.append(buffer.data(), static_cast<std::size_t>(n));
        // The file may grow between fstat and read.
        if (content.size() > max_secret_bytes) {
            return bad(path, "larger than " + std::to_string(max_secret_bytes) + " bytes");
        }
    }
    if (content.ends_with("\r\n")) {
        content.resize(content.size() - 2);
    } else if (content.ends_with('\n')) {
        content.pop_back();
    }
    if (content.empty()) {
        return bad(path, "is empty");
    }
    if (content.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
        return bad(path, "contains a line break or NUL byte (one secret per file, on one line)");
    }
    SecretText out{std::move(content), {}};
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        out.warning = "secret file \"" + path + "\" is accessible by group or others (chmod 600 it)";
    }
    return out;
}

poe::Result<SecretText> read_credential(std::string_view credentials_directory, std::string_view name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "credential name \"" + std::string(name) + "\" must be a plain file name");
    }
    if (credentials_directory.empty()) {
        return poe::make_error(poe::ErrorCode::invalid_argument,
                               "credential \"" + std::string(name) +
                                   "\": $CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the "
                                   "systemd unit, or KEY_file instead)");
    }
    std::string path(credentials_directory);
    if (!path.ends_with('/')) {
        path += '/';
    }
    path += name;
    auto secret = read_secret_file(path);
    if (secret) {
        // systemd makes credentials private to the service; mode bits do not matter.
        secret->warning.clear();
    }
    return secret;
}

}  // namespace maas_bridge

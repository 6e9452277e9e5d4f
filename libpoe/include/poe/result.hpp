// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// poe::Result<T>: either a value or a poe::Error. A small stand-in for
/// C++23 std::expected so the public API stays C++20.

#include <poe/error.hpp>

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace poe {

/// Holds a T on success or an Error on failure. Accessing the wrong
/// alternative is a programming error (asserts in debug builds).
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error)
        : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    [[nodiscard]] T& value() & {
        assert(ok());
        return std::get<0>(state_);
    }
    [[nodiscard]] const T& value() const& {
        assert(ok());
        return std::get<0>(state_);
    }
    [[nodiscard]] T&& value() && {
        assert(ok());
        return std::get<0>(std::move(state_));
    }

    [[nodiscard]] const Error& error() const& {
        assert(!ok());
        return std::get<1>(state_);
    }
    [[nodiscard]] Error&& error() && {
        assert(!ok());
        return std::get<1>(std::move(state_));
    }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> state_;
};

/// Result of an operation that yields nothing but can fail.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }

    [[nodiscard]] const Error& error() const& {
        assert(!ok_);
        return error_;
    }
    [[nodiscard]] Error&& error() && {
        assert(!ok_);
        return std::move(error_);
    }

private:
    Error error_;
    bool ok_{true};
};

/// Shorthand for a successful Result<void>.
inline Result<void> success() {
    return {};
}

}  // namespace poe

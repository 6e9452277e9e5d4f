#include "fault_set.hpp"

#include <array>
#include <utility>

#include "interface_name.hpp"
#include "quoted_words.hpp"

namespace ios_sim {

namespace {

constexpr std::array<std::pair<std::string_view, FaultKind>, 10> kind_names{{
    {"slow", FaultKind::slow},
    {"hang", FaultKind::hang},
    {"drop", FaultKind::drop},
    {"drop-after", FaultKind::drop_after},
    {"garbage", FaultKind::garbage},
    {"invalid", FaultKind::invalid},
    {"rejected", FaultKind::rejected},
    {"authorization-failed", FaultKind::authorization},
    {"refuse-login", FaultKind::refuse_login},
    {"refuse-enable", FaultKind::refuse_enable},
}};

std::string_view kind_name(FaultKind kind) {
    for (const auto& [name, value] : kind_names) {
        if (value == kind) {
            return name;
        }
    }
    return "?";
}

std::optional<long long> parse_count(const std::string& word) {
    if (word == "forever") {
        return -1;
    }
    auto count = parse_non_negative(word);
    if (!count || *count == 0) {
        return std::nullopt;
    }
    return count;
}

}  // namespace

std::optional<FaultKind> FaultSet::parse_kind(std::string_view name) {
    for (const auto& [kind_text, value] : kind_names) {
        if (kind_text == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> FaultSet::add(const std::vector<std::string>& words) {
    if (words.empty()) {
        return "missing fault kind";
    }
    const auto kind = parse_kind(words[0]);
    if (!kind) {
        return "unknown fault kind \"" + words[0] + "\"";
    }
    Fault fault;
    fault.kind = *kind;
    std::size_t next = 1;
    switch (*kind) {
        case FaultKind::slow: {
            if (words.size() < 3) {
                return "usage: slow PATTERN MS [COUNT]";
            }
            fault.pattern = words[1];
            const auto ms = parse_non_negative(words[2]);
            if (!ms) {
                return "bad delay \"" + words[2] + "\"";
            }
            fault.delay = std::chrono::milliseconds(*ms);
            next = 3;
            break;
        }
        case FaultKind::hang:
        case FaultKind::drop:
        case FaultKind::garbage:
        case FaultKind::invalid:
        case FaultKind::rejected:
        case FaultKind::authorization:
            if (words.size() < 2) {
                return "usage: " + words[0] + " PATTERN [COUNT]";
            }
            fault.pattern = words[1];
            next = 2;
            break;
        case FaultKind::drop_after: {
            const auto after = words.size() == 2 ? parse_non_negative(words[1]) : std::nullopt;
            if (!after || *after == 0) {
                return "usage: drop-after N";
            }
            fault.after = *after;
            fault.remaining = 1;
            std::lock_guard lock(mutex_);
            faults_.push_back(std::move(fault));
            return std::nullopt;
        }
        case FaultKind::refuse_login:
        case FaultKind::refuse_enable:
            break;
    }
    if (words.size() > next + 1) {
        return "too many words";
    }
    if (words.size() == next + 1) {
        const auto count = parse_count(words[next]);
        if (!count) {
            return "bad count \"" + words[next] + "\" (a positive number or 'forever')";
        }
        fault.remaining = *count;
    }
    std::lock_guard lock(mutex_);
    faults_.push_back(std::move(fault));
    return std::nullopt;
}

void FaultSet::clear(std::optional<FaultKind> kind) {
    std::lock_guard lock(mutex_);
    if (!kind) {
        faults_.clear();
        return;
    }
    std::erase_if(faults_, [&](const Fault& fault) { return fault.kind == *kind; });
}

bool FaultSet::matches(const Fault& fault, std::string_view canonical, std::string_view typed) {
    if (fault.pattern == "*") {
        return true;
    }
    return (!canonical.empty() && istarts_with(canonical, fault.pattern)) ||
           istarts_with(typed, fault.pattern);
}

void FaultSet::consume(std::vector<Fault>& faults, std::size_t index) {
    if (faults[index].remaining > 0 && --faults[index].remaining == 0) {
        faults.erase(faults.begin() + static_cast<std::ptrdiff_t>(index));
    }
}

CommandFaults FaultSet::on_command(std::string_view canonical, std::string_view typed) {
    std::lock_guard lock(mutex_);
    CommandFaults out;

    for (std::size_t i = 0; i < faults_.size();) {
        if (faults_[i].kind == FaultKind::drop_after && --faults_[i].after == 0) {
            out.drop_after = true;
            faults_.erase(faults_.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        ++i;
    }
    for (std::size_t i = 0; i < faults_.size();) {
        if (faults_[i].kind == FaultKind::slow && matches(faults_[i], canonical, typed)) {
            out.extra_delay += faults_[i].delay;
            const std::size_t before = faults_.size();
            consume(faults_, i);
            if (faults_.size() < before) {
                continue;
            }
        }
        ++i;
    }
    // One action per command; the most disruptive wins and only it is used up.
    constexpr std::array<std::pair<FaultKind, CommandFaults::Action>, 6> priority{{
        {FaultKind::hang, CommandFaults::Action::hang},
        {FaultKind::drop, CommandFaults::Action::drop},
        {FaultKind::garbage, CommandFaults::Action::garbage},
        {FaultKind::invalid, CommandFaults::Action::invalid},
        {FaultKind::rejected, CommandFaults::Action::rejected},
        {FaultKind::authorization, CommandFaults::Action::authorization},
    }};
    for (const auto& [kind, action] : priority) {
        for (std::size_t i = 0; i < faults_.size(); ++i) {
            if (faults_[i].kind == kind && matches(faults_[i], canonical, typed)) {
                out.action = action;
                consume(faults_, i);
                return out;
            }
        }
    }
    return out;
}

bool FaultSet::take_simple(FaultKind kind) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < faults_.size(); ++i) {
        if (faults_[i].kind == kind) {
            consume(faults_, i);
            return true;
        }
    }
    return false;
}

bool FaultSet::take_refuse_login() {
    return take_simple(FaultKind::refuse_login);
}

bool FaultSet::take_refuse_enable() {
    return take_simple(FaultKind::refuse_enable);
}

std::string FaultSet::describe() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& fault : faults_) {
        if (!out.empty()) {
            out += "; ";
        }
        out += kind_name(fault.kind);
        if (!fault.pattern.empty()) {
            out += " \"" + fault.pattern + "\"";
        }
        if (fault.kind == FaultKind::slow) {
            out += " " + std::to_string(fault.delay.count());
        }
        if (fault.kind == FaultKind::drop_after) {
            out += " " + std::to_string(fault.after);
        } else {
            out += fault.remaining < 0 ? " forever" : " " + std::to_string(fault.remaining);
        }
    }
    return out.empty() ? "none" : out;
}

}  // namespace ios_sim

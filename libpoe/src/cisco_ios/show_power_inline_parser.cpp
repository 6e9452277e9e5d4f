// SPDX-License-Identifier: Apache-2.0
#include "cisco_ios/show_power_inline_parser.hpp"

#include "cisco_ios/cli_text.hpp"
#include "cisco_ios/interface_name.hpp"
#include "cisco_ios/string_helpers.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>

namespace poe::ios {
namespace {

enum class Field : std::uint8_t { interface, admin, oper, watts, device, poe_class, max, ignored };
constexpr std::size_t field_count = 8;

constexpr std::string_view field_label(Field field) noexcept {
    switch (field) {
        case Field::interface:
            return "Interface";
        case Field::admin:
            return "Admin";
        case Field::oper:
            return "Oper";
        case Field::watts:
            return "Power";
        case Field::device:
            return "Device";
        case Field::poe_class:
            return "Class";
        case Field::max:
            return "Max";
        case Field::ignored:
            return "ignored";
    }
    return "ignored";
}

struct HeaderWord {
    std::string_view word;
    Field field;
};

// Header words of the first header line. Anything else is an unknown
// layout, and an unknown layout is an error, never a guess.
constexpr std::array<HeaderWord, 13> header_words{{
    {"Interface", Field::interface},
    {"Admin", Field::admin},
    {"Oper", Field::oper},
    {"Power", Field::watts},
    {"Power(Watts)", Field::watts},
    {"Power(W)", Field::watts},
    {"Device", Field::device},
    {"Class", Field::poe_class},
    {"Max", Field::max},
    {"Priority", Field::ignored},
    {"Police", Field::ignored},
    {"ActConsumption", Field::ignored},
    {"ActualConsumption", Field::ignored},
}};

// Fields one ruler span may hold. Catalyst 6500 prints one ruler span over
// "Interface Admin"; rows then hold two blank-separated values there.
constexpr std::size_t max_fields_per_column = 3;

struct Column {
    std::size_t start{0};
    std::array<Field, max_fields_per_column> fields{};
    std::size_t fields_used{0};
    bool from_source{false};  // Catalyst 4500/6500 "From PS": drawn from the supply, not delivered
    bool to_device{false};    // "To Device" / "To PD": what the device gets
};

enum class TableKind { none, ports, auxiliary, budget };

struct Token {
    std::size_t begin;
    std::size_t end;
};

constexpr std::size_t tab_width = 8;
constexpr std::size_t max_header_lines = 4;

bool is_blank_line(std::string_view line) {
    return trim(line).empty();
}

bool is_ruler(std::string_view line) {
    std::size_t dashes = 0;
    for (const char c : line) {
        if (c == '-') {
            ++dashes;
        } else if (!is_blank(c)) {
            return false;
        }
    }
    return dashes >= 3;
}

std::string_view first_word(std::string_view line) {
    line = trim_left(line);
    std::size_t n = 0;
    while (n < line.size() && !is_blank(line[n])) {
        ++n;
    }
    return line.substr(0, n);
}

// Lines hold no CR or tab once split_lines() is done: a space is the only
// blank left.
void tokenize(std::string_view line, std::vector<Token>& tokens) {
    tokens.clear();
    const std::size_t n = line.size();
    std::size_t i = 0;
    while (true) {
        while (i < n && line[i] == ' ') {
            ++i;
        }
        if (i == n) {
            break;
        }
        const std::size_t begin = i;
        while (i < n && line[i] != ' ') {
            ++i;
        }
        tokens.push_back({begin, i});
    }
}

// "Gi1/0/5 ...", or "Gi 1/0/5 ..." with a known type: a line that names a
// port and therefore must never be skipped silently.
bool looks_like_port(std::string_view line) {
    line = trim_left(line);
    std::size_t k = 0;
    while (k < line.size() && is_alpha(line[k])) {
        ++k;
    }
    if (k == 0 || k == line.size()) {
        return false;
    }
    if (is_digit(line[k])) {
        return true;
    }
    std::size_t m = k;
    while (m < line.size() && is_blank(line[m])) {
        ++m;
    }
    if (m == k || m == line.size() || !is_digit(line[m])) {
        return false;
    }
    while (m < line.size() && !is_blank(line[m])) {
        ++m;
    }
    return normalize_interface_name(line.substr(0, m)).ok();
}

// Decimal watts as IOS prints them ("0", "15.4", "828.7"); no signs,
// exponents, "inf" or "nan" (which from_chars would accept).
// digits / 10^k: both exact in a double (at most 15 digits), and one IEEE
// division rounds correctly, so the value equals strtod's.
std::optional<double> parse_watts(std::string_view text) {
    static constexpr std::array<double, 16> powers_of_ten{1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                          1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (text.empty() || text.size() >= powers_of_ten.size() || !is_digit(text.front()) ||
        !is_digit(text.back())) {
        return std::nullopt;
    }
    std::uint64_t mantissa = 0;
    std::size_t point = text.size();
    for (std::size_t k = 0; k < text.size(); ++k) {
        const char c = text[k];
        if (is_digit(c)) {
            mantissa = mantissa * 10U + static_cast<std::uint64_t>(c - '0');
        } else if (c == '.' && point == text.size()) {
            point = k;
        } else {
            return std::nullopt;
        }
    }
    const std::size_t decimals = point == text.size() ? 0 : text.size() - point - 1;
    return static_cast<double>(mantissa) / powers_of_ten[decimals];
}

bool valid_oper_word(std::string_view text) {
    if (text.empty() || text.size() > 32 || !is_alpha(text.front())) {
        return false;
    }
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == ','; });
}

bool valid_class(std::string_view text) {
    if (text.empty() || text.size() > 8 || !is_digit(text.front())) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == ','; });
}

class ShowPowerInlineParser {
public:
    explicit ShowPowerInlineParser(std::string_view output) : output_(output) {}

    Result<std::vector<PortStatus>> run() {
        if (output_.size() > max_output_bytes) {
            return make_error(ErrorCode::parse_error,
                              "show power inline: output is " + std::to_string(output_.size()) +
                                  " bytes, more than the 1 MiB limit",
                              device_text_excerpt(output_));
        }
        split_lines();
        // Bounded: 1 MiB of empty lines must not reserve a million ports.
        const std::size_t expected_ports = std::min<std::size_t>(lines_.size(), 1024);
        ports_.reserve(expected_ports);
        port_lines_.reserve(expected_ports);
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            auto handled = handle_line(i);
            if (!handled) {
                return prefer_switch_error(std::move(handled).error());
            }
        }
        if (!found_port_table_) {
            return prefer_switch_error(
                make_error(ErrorCode::parse_error,
                           "show power inline: no port table found (expected a header starting with "
                           "\"Interface\" above a dashed ruler)",
                           device_text_excerpt(output_)));
        }
        auto unique = check_unique();
        if (!unique) {
            return std::move(unique).error();
        }
        return std::move(ports_);
    }

private:
    // When the text we could not parse carries an IOS error message, that
    // message is the real story (a mistyped command, a refused privilege).
    Error prefer_switch_error(Error error) const {
        if (error.code == ErrorCode::parse_error) {
            if (auto rejected = classify_cli_error(output_)) {
                rejected->device_text = device_text_excerpt(output_);
                return std::move(*rejected);
            }
        }
        return error;
    }

    // Lines end at LF, CR LF, CR CR LF, LF CR or a lone CR; tabs are
    // expanded to 8-column stops so column positions stay right.
    void split_lines() {
        const std::size_t n = output_.size();
        lines_.reserve(n / 48 + 4);
        std::size_t pos = 0;
        while (pos < n) {
            std::size_t end = output_.find('\n', pos);
            if (end == std::string_view::npos) {
                end = n;
            }
            const std::size_t cr = output_.substr(pos, end - pos).find('\r');
            if (cr != std::string_view::npos) {
                end = pos + cr;
            }
            add_line(output_.substr(pos, end - pos));
            if (end == n) {
                break;
            }
            std::size_t next = end;
            if (output_[end] == '\n') {
                ++next;
                std::size_t crs = next;
                while (crs < n && output_[crs] == '\r') {
                    ++crs;
                }
                if (crs > next && (crs == n || output_[crs] != '\n')) {
                    next = crs;
                }
            } else {
                while (next < n && output_[next] == '\r') {
                    ++next;
                }
                if (next < n && output_[next] == '\n') {
                    ++next;
                }
            }
            pos = next;
        }
    }

    void add_line(std::string_view line) {
        if (line.find('\t') == std::string_view::npos) {
            lines_.push_back(line);
            return;
        }
        std::string expanded;
        for (const char c : line) {
            if (c == '\t') {
                expanded.append(tab_width - expanded.size() % tab_width, ' ');
            } else {
                expanded += c;
            }
        }
        expanded_lines_.push_back(std::move(expanded));
        lines_.push_back(expanded_lines_.back());
    }

    Error failure(std::size_t index, std::string_view problem) const {
        std::string message = "show power inline: line ";
        message += std::to_string(index + 1);
        message += ": ";
        message += problem;
        return make_error(ErrorCode::parse_error, std::move(message), device_text_excerpt(output_));
    }

    Result<void> handle_line(std::size_t i) {
        const std::string_view line = trim_right(lines_[i]);
        const std::string_view text = trim_left(line);
        if (text.empty()) {
            return success();
        }
        if (is_ruler(line)) {
            return handle_ruler(i);
        }
        if (text.front() == '%') {
            return handle_switch_message(i, text);
        }
        if (looks_like_port(text)) {
            if (table_ == TableKind::ports && rows_allowed_) {
                consumed_until_ = i + 1;
                return parse_row(i);
            }
            if (table_ == TableKind::auxiliary && rows_allowed_) {
                consumed_until_ = i + 1;
                return success();
            }
            return failure(i, "port row " + quote_for_message(text) + " is not inside a port table");
        }
        // Text (a Totals line, the next table's header, an advisory note)
        // ends the rows of the current table: a port row after it without a
        // new header would be one we cannot place.
        rows_allowed_ = false;
        return success();
    }

    Result<void> handle_switch_message(std::size_t i, std::string_view text) {
        if (istarts_with(trim_left(text.substr(1)), "No inline power")) {
            return make_error(ErrorCode::unsupported,
                              "switch has no inline power: " + std::string(text.substr(0, 120)),
                              device_text_excerpt(output_));
        }
        if (auto rejected = classify_cli_error(text)) {
            rejected->device_text = device_text_excerpt(output_);
            return std::move(*rejected);
        }
        return failure(i, "unexpected switch message " + quote_for_message(text));
    }

    Result<void> handle_ruler(std::size_t i) {
        // The header is the run of text lines right above the ruler that no
        // earlier table consumed.
        std::size_t block = i;
        while (block > consumed_until_ && i - block < max_header_lines && !is_blank_line(lines_[block - 1])) {
            --block;
        }
        const std::size_t ruler_index = i;
        consumed_until_ = i + 1;
        if (block == ruler_index) {
            if (table_ == TableKind::none) {
                return failure(i, "dashed ruler without a header line above it");
            }
            // The separator above a Totals line.
            rows_allowed_ = false;
            return success();
        }
        std::size_t header = block;
        for (std::size_t k = ruler_index; k > block; --k) {
            const std::string_view word = first_word(lines_[k - 1]);
            if (word == "Interface" || word == "Module" || word == "PowerSupply") {
                header = k - 1;
                break;
            }
        }
        const std::string_view word = first_word(lines_[header]);
        if (word == "Module" || word == "PowerSupply") {
            table_ = TableKind::budget;
            rows_allowed_ = false;
            return success();
        }
        if (word != "Interface") {
            return failure(header, "unrecognised table header " + quote_for_message(trim(lines_[header])));
        }
        return read_port_header(header, ruler_index);
    }

    Result<void> read_port_header(std::size_t header, std::size_t ruler_index) {
        const std::string_view ruler = lines_[ruler_index];
        columns_.clear();
        for (std::size_t k = 0; k < ruler.size(); ++k) {
            if (ruler[k] == '-' && (k == 0 || ruler[k - 1] != '-')) {
                columns_.push_back(Column{k});
            }
        }
        const std::string_view header_text = trim(lines_[header]);
        tokenize(lines_[header], tokens_);
        // `show power inline <intf>` appends a per-port budget table
        // (AdminPowerMax, AdminConsumption); it repeats the port, so its
        // rows are skipped on purpose.
        for (const Token& token : tokens_) {
            const std::string_view word = lines_[header].substr(token.begin, token.end - token.begin);
            if (word == "AdminPowerMax" || word == "AdminConsumption") {
                table_ = TableKind::auxiliary;
                rows_allowed_ = true;
                return success();
            }
        }
        for (const Token& token : tokens_) {
            const std::string_view word = lines_[header].substr(token.begin, token.end - token.begin);
            const auto known = std::find_if(header_words.begin(), header_words.end(),
                                            [&](const HeaderWord& entry) { return entry.word == word; });
            if (known == header_words.end()) {
                return failure(header, "unrecognised column " + quote_for_message(word) +
                                           " in table header " + quote_for_message(header_text));
            }
            Column& column = columns_[column_at(token.begin)];
            if (column.fields_used == max_fields_per_column) {
                return failure(
                    header, "too many column names over one ruler span in " + quote_for_message(header_text));
            }
            column.fields[column.fields_used++] = known->field;
        }
        for (std::size_t k = header + 1; k < ruler_index; ++k) {
            tokenize(lines_[k], tokens_);
            for (const Token& token : tokens_) {
                const std::string_view word = lines_[k].substr(token.begin, token.end - token.begin);
                Column& column = columns_[column_at(token.begin)];
                column.from_source = column.from_source || word == "From";
                column.to_device = column.to_device || word == "To";
            }
        }
        std::array<std::size_t, field_count> seen{};
        for (Column& column : columns_) {
            if (column.fields_used == 0) {
                if (!column.to_device && !column.from_source) {
                    return failure(ruler_index, "ruler column at position " +
                                                    std::to_string(column.start + 1) + " has no header");
                }
                column.fields[column.fields_used++] = column.to_device ? Field::watts : Field::ignored;
            }
            for (std::size_t f = 0; f < column.fields_used; ++f) {
                if (column.fields[f] == Field::watts && column.from_source && !column.to_device) {
                    column.fields[f] = Field::ignored;
                }
                if (column.fields[f] == Field::device && column.fields_used > 1) {
                    return failure(header, "the Device column shares its ruler span with another column");
                }
                ++seen[static_cast<std::size_t>(column.fields[f])];
            }
        }
        for (const Field field : {Field::interface, Field::admin, Field::oper, Field::watts, Field::device,
                                  Field::poe_class, Field::max}) {
            const std::size_t count = seen[static_cast<std::size_t>(field)];
            if (count > 1) {
                return failure(header, "two " + std::string(field_label(field)) +
                                           " columns in table header " + quote_for_message(header_text));
            }
            const bool required = field == Field::interface || field == Field::admin ||
                                  field == Field::oper || field == Field::watts;
            if (required && count == 0) {
                return failure(header, "no " + std::string(field_label(field)) + " column in table header " +
                                           quote_for_message(header_text));
            }
        }
        if (columns_.front().fields[0] != Field::interface) {
            return failure(header, "the first column is not Interface");
        }
        table_ = TableKind::ports;
        rows_allowed_ = true;
        found_port_table_ = true;
        return success();
    }

    // Index of the column a text starting at `position` belongs to: the last
    // one starting at or before it. Values that overflow their span start
    // inside it, so they stay in their column.
    std::size_t column_at(std::size_t position) const {
        std::size_t index = 0;
        while (index + 1 < columns_.size() && columns_[index + 1].start <= position) {
            ++index;
        }
        return index;
    }

    // One pass over the row: each blank-separated value goes to the column
    // its first character lies in (see column_at()).
    Result<void> parse_row(std::size_t i) {
        const std::string_view line = lines_[i];
        const std::size_t n = line.size();
        PortStatus port;
        std::array<bool, field_count> have{};
        Cell cell;
        std::size_t column = 0;
        std::size_t next_start = columns_.size() > 1 ? columns_[1].start : std::string_view::npos;
        std::size_t p = 0;
        while (true) {
            while (p < n && line[p] == ' ') {
                ++p;
            }
            if (p == n) {
                break;
            }
            const std::size_t begin = p;
            while (p < n && line[p] != ' ') {
                ++p;
            }
            if (begin >= next_start) {
                if (auto failed = store_cell(i, columns_[column], cell, port, have)) {
                    return std::move(*failed);
                }
                cell = Cell{};
                while (column + 1 < columns_.size() && columns_[column + 1].start <= begin) {
                    ++column;
                }
                next_start =
                    column + 1 < columns_.size() ? columns_[column + 1].start : std::string_view::npos;
            }
            if (cell.count < cell.tokens.size()) {
                cell.tokens[cell.count] = {begin, p};
            }
            cell.begin = cell.count == 0 ? begin : cell.begin;
            cell.end = p;
            ++cell.count;
        }
        if (auto failed = store_cell(i, columns_[column], cell, port, have)) {
            return std::move(*failed);
        }
        for (const Field field : {Field::interface, Field::admin, Field::oper, Field::watts}) {
            if (!have[static_cast<std::size_t>(field)]) {
                return failure(i,
                               "row has no " + std::string(field_label(field)) + " value (truncated line?)");
            }
        }
        ports_.push_back(std::move(port));
        port_lines_.push_back(i);
        return success();
    }

    // The values of one row under one ruler span.
    struct Cell {
        std::array<Token, max_fields_per_column> tokens{};
        std::size_t count{0};
        std::size_t begin{0};
        std::size_t end{0};
    };

    std::optional<Error> store_cell(std::size_t i, const Column& column, const Cell& cell, PortStatus& port,
                                    std::array<bool, field_count>& have) const {
        if (cell.count == 0) {
            return std::nullopt;
        }
        const std::string_view line = lines_[i];
        if (column.fields_used == 1) {
            const Field field = column.fields[0];
            if (field == Field::ignored) {
                return std::nullopt;
            }
            const std::string_view value = line.substr(cell.begin, cell.end - cell.begin);
            if (cell.count > 1 && field != Field::device) {
                return failure(i, "unexpected text " + quote_for_message(value) + " in the " +
                                      std::string(field_label(field)) + " column");
            }
            have[static_cast<std::size_t>(field)] = true;
            return store(i, field, value, port);
        }
        if (cell.count != column.fields_used) {
            return failure(i, "expected " + std::to_string(column.fields_used) + " values at position " +
                                  std::to_string(column.start + 1) + ", found " + std::to_string(cell.count));
        }
        for (std::size_t f = 0; f < cell.count; ++f) {
            const Field field = column.fields[f];
            if (field == Field::ignored) {
                continue;
            }
            const Token& token = cell.tokens[f];
            if (auto failed = store(i, field, line.substr(token.begin, token.end - token.begin), port)) {
                return failed;
            }
            have[static_cast<std::size_t>(field)] = true;
        }
        return std::nullopt;
    }

    // nullopt when stored; an Error otherwise (no Result<void> per field:
    // this runs seven times per row).
    std::optional<Error> store(std::size_t i, Field field, std::string_view value, PortStatus& port) const {
        switch (field) {
            case Field::interface: {
                auto name = normalize_interface_name(value);
                if (!name) {
                    return failure(i, quote_for_message(value) + " is not an interface name");
                }
                port.name = std::move(*name);
                return std::nullopt;
            }
            case Field::admin:
                if (value == "auto") {
                    port.admin = AdminMode::automatic;
                } else if (value == "static") {
                    port.admin = AdminMode::static_power;
                } else if (value == "off") {
                    port.admin = AdminMode::never;
                } else {
                    return failure(i, "unknown Admin value " + quote_for_message(value) +
                                          " (expected auto, static or off)");
                }
                return std::nullopt;
            case Field::oper:
                if (!valid_oper_word(value)) {
                    return failure(i,
                                   "Oper value " + quote_for_message(value) + " is not an operational state");
                }
                if (iequals(value, "on")) {
                    port.oper = OperState::on;
                } else if (iequals(value, "off")) {
                    port.oper = OperState::off;
                } else if (iequals(value, "faulty")) {
                    port.oper = OperState::faulty;
                } else if (iequals(value, "power-deny")) {
                    port.oper = OperState::power_deny;
                } else {
                    port.oper = OperState::other;
                }
                port.oper_text = std::string(value);
                return std::nullopt;
            case Field::watts: {
                const auto watts = parse_watts(value);
                if (!watts) {
                    return failure(i, "Power value " + quote_for_message(value) + " is not a number");
                }
                port.watts = *watts;
                return std::nullopt;
            }
            case Field::device:
                if (value != "n/a") {
                    port.device = std::string(value);
                }
                return std::nullopt;
            case Field::poe_class:
                if (value == "n/a") {
                    return std::nullopt;
                }
                if (!valid_class(value)) {
                    return failure(i, "Class value " + quote_for_message(value) + " is not a PoE class");
                }
                port.poe_class = std::string(value);
                return std::nullopt;
            case Field::max: {
                if (value == "n/a" || value == "-") {
                    return std::nullopt;
                }
                const auto max = parse_watts(value);
                if (!max) {
                    return failure(i, "Max value " + quote_for_message(value) + " is not a number");
                }
                port.max_watts = *max;
                return std::nullopt;
            }
            case Field::ignored:
                return std::nullopt;
        }
        return std::nullopt;
    }

    // Sorting hashes, not names: string compares were a tenth of the parse
    // time of a 240-port stack.
    Result<void> check_unique() const {
        std::vector<std::pair<std::uint64_t, std::size_t>> keys;
        keys.reserve(ports_.size());
        for (std::size_t k = 0; k < ports_.size(); ++k) {
            std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
            for (const char c : ports_[k].name) {
                hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
            }
            keys.emplace_back(hash, k);
        }
        std::sort(keys.begin(), keys.end());
        for (std::size_t k = 1; k < keys.size(); ++k) {
            if (keys[k].first != keys[k - 1].first) {
                continue;
            }
            // Equal hashes: compare every pair in this run of equal hashes.
            for (std::size_t m = k; m > 0 && keys[m - 1].first == keys[k].first; --m) {
                const PortStatus& a = ports_[keys[k].second];
                const PortStatus& b = ports_[keys[m - 1].second];
                if (a.name == b.name) {
                    const std::size_t later =
                        std::max(port_lines_[keys[k].second], port_lines_[keys[m - 1].second]);
                    return failure(later, "port " + a.name + " is listed twice");
                }
            }
        }
        return success();
    }

    std::string_view output_;
    std::vector<std::string_view> lines_;
    std::deque<std::string> expanded_lines_;  // owners of tab-expanded lines_ (deque: stable addresses)
    std::vector<Column> columns_;
    std::vector<Token> tokens_;
    std::vector<PortStatus> ports_;
    std::vector<std::size_t> port_lines_;
    TableKind table_{TableKind::none};
    bool rows_allowed_{false};
    bool found_port_table_{false};
    std::size_t consumed_until_{0};  // lines before this index belong to a table already
};

}  // namespace

Result<std::vector<PortStatus>> parse_show_power_inline(std::string_view output) {
    ShowPowerInlineParser parser(output);
    return parser.run();
}

}  // namespace poe::ios

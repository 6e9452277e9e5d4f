// SPDX-License-Identifier: Apache-2.0
#include "api/safe_json_writer.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace maas_bridge {
namespace {

std::string encode(std::string_view text) {
    std::string out;
    append_defused_json_string(out, text);
    return out;
}

std::string decode(const std::string& json) {
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(json, ec);
    EXPECT_FALSE(ec) << json;
    return ec ? "" : std::string(value.as_string());
}

TEST(SafeJsonWriter, EscapesTriggerWordsButDecodesToTheSameText) {
    for (const std::string text : {"running", "stopped", "status", "Running", "STOPPED", "my running pi",
                                   "status: running", "rrunning", "runningrunning", "statusstopped"}) {
        const std::string json = encode(text);
        EXPECT_EQ(json.find("running"), std::string::npos) << json;
        EXPECT_EQ(json.find("stopped"), std::string::npos) << json;
        EXPECT_EQ(json.find("status"), std::string::npos) << json;
        EXPECT_EQ(decode(json), text);
    }
    EXPECT_EQ(encode("running"), R"("\u0072unning")");
    EXPECT_EQ(encode("plain Gi1/0/5"), R"("plain Gi1/0/5")");
}

TEST(SafeJsonWriter, ControlCharactersNeverFormWords) {
    // A short "\r" escape followed by "unning" would spell "running".
    const std::string json = encode("\running\n\t\"\\");
    EXPECT_EQ(json, R"("\u000dunning\u000a\u0009\"\\")") << json;
    EXPECT_EQ(decode(json), "\running\n\t\"\\");
}

TEST(SafeJsonWriter, InvalidUtf8BecomesReplacementCharacter) {
    const std::string json = encode("caf\xc3\xa9 \xff \xc0\xaf \xed\xa0\x80");
    EXPECT_EQ(json, "\"caf\xc3\xa9 \\ufffd \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\"");
    decode(json);
}

TEST(SafeJsonWriter, BuildsNestedValuesOnOneLine) {
    SafeJsonWriter json;
    json.begin_object()
        .key("status")
        .verbatim_string("running")
        .key("list")
        .begin_array()
        .integer(1)
        .number(2.5)
        .number(30.0)
        .boolean(true)
        .null()
        .optional_string(std::nullopt)
        .end_array()
        .key("nested")
        .begin_object()
        .key("x")
        .string("y")
        .end_object()
        .end_object();
    EXPECT_EQ(json.str(), R"({"status":"running","list":[1,2.5,30.0,true,null,null],"nested":{"x":"y"}})");
}

TEST(SafeJsonWriter, NonFiniteNumbersAreNull) {
    SafeJsonWriter json;
    json.begin_array().number(std::numeric_limits<double>::infinity()).number(std::nan("")).end_array();
    EXPECT_EQ(json.str(), "[null,null]");
}

}  // namespace
}  // namespace maas_bridge

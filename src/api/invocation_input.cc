#include "api/invocation_input.h"

#include <nlohmann/json.hpp>

namespace parley::api {

namespace {

using json = nlohmann::json;

// Validates and remembers what the top-level object holds, without building anything.
class TopLevel final : public json::json_sax_t {
 public:
  bool null() override { return value(Kind::kNull); }
  bool boolean(bool) override { return value(Kind::kOther); }
  bool number_integer(json::number_integer_t) override { return value(Kind::kOther); }
  bool number_unsigned(json::number_unsigned_t) override { return value(Kind::kOther); }
  bool number_float(json::number_float_t, const json::string_t&) override { return value(Kind::kOther); }
  bool string(json::string_t&) override { return value(Kind::kOther); }
  bool binary(json::binary_t&) override { return value(Kind::kOther); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) rootIsObject_ = true;
    value(Kind::kObject);
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    value(Kind::kArray);
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(json::string_t& k) override {
    if (depth_ == 1) {
      ++keys_;
      current_ = k == "payload" ? Field::kPayload : k == "headers" ? Field::kHeaders : Field::kOther;
      if (current_ == Field::kPayload) hasPayload_ = true;
      if (current_ == Field::kHeaders) hasHeaders_ = true;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }

  enum class Kind { kNull, kObject, kArray, kOther };
  bool rootIsObject_ = false, hasPayload_ = false, hasHeaders_ = false;
  Kind headersKind_ = Kind::kNull;
  size_t keys_ = 0;
  std::string error_;

 private:
  enum class Field { kPayload, kHeaders, kOther };
  bool value(Kind kind) {
    if (depth_ == 1 && current_ == Field::kHeaders) headersKind_ = kind;
    return true;
  }
  int depth_ = 0;
  Field current_ = Field::kOther;
};

}  // namespace

Result<std::string> invocationInput(const http::Request& request) {
  const std::string& body = request.body;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return std::string("{}");
  TopLevel top;
  if (!json::sax_parse(body, &top)) {
    return Error::invalidArgument("The body is not valid JSON: " + top.error_);
  }
  if (!top.rootIsObject_) return Error::invalidArgument("The body must be a JSON object");
  if (!top.hasPayload_ && !top.hasHeaders_ && top.keys_ > 0) {
    return "{\"payload\":" + body + "}";  // a bare payload is accepted too
  }
  if (top.hasHeaders_ && top.headersKind_ != TopLevel::Kind::kArray &&
      top.headersKind_ != TopLevel::Kind::kObject && top.headersKind_ != TopLevel::Kind::kNull) {
    return Error::invalidArgument("'headers' must be a list of {key, value} or an object");
  }
  return body;
}

}  // namespace parley::api

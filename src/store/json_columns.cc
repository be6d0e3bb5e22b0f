// Lists and maps are stored as JSON text: readable in the sqlite3 shell, and no side tables for
// values that are always read and written whole.
#include <nlohmann/json.hpp>

#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {

using nlohmann::json;

namespace {

// Invalid UTF-8 would make dump() throw; the control layer validates text before it gets here,
// so replacing (U+FFFD) is only a last line of defence.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string encodeStringList(const std::vector<std::string>& list) {
  return dump(json(list));
}

Result<std::vector<std::string>> decodeStringList(const std::string& text,
                                                  const std::string& what) {
  json parsed = json::parse(text.empty() ? "[]" : text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Error::invalidArgument(what + " is not a JSON array");
  std::vector<std::string> out;
  out.reserve(parsed.size());
  for (const json& item : parsed) {
    if (!item.is_string()) return Error::invalidArgument(what + " holds a non-string element");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::string encodeStringMap(const std::map<std::string, std::string>& map) {
  return dump(json(map));
}

Result<std::map<std::string, std::string>> decodeStringMap(const std::string& text,
                                                           const std::string& what) {
  json parsed = json::parse(text.empty() ? "{}" : text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return Error::invalidArgument(what + " is not a JSON object");
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) {
      return Error::invalidArgument(what + " has a non-string value for '" + key + "'");
    }
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

}  // namespace parley::store::sqlite

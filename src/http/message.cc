#include "http/message.h"

#include <algorithm>

namespace parley::http {
namespace {

char lowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The first value stored under `name` (the maps' comparators take std::string keys).
template <typename Map>
std::optional<std::string> firstValue(const Map& map, std::string_view name) {
  auto it = map.find(std::string(name));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(lowerAscii(x)) < static_cast<unsigned char>(lowerAscii(y));
  });
}

std::optional<std::string> Request::header(std::string_view name) const {
  return firstValue(headers, name);
}

std::optional<std::string> Request::queryParam(std::string_view name) const {
  return firstValue(query, name);
}

const std::string& Request::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers.emplace("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

Response Response::text(int status, std::string body, std::string contentType) {
  Response r;
  r.status = status;
  r.headers.emplace("Content-Type", std::move(contentType));
  r.body = std::move(body);
  return r;
}

}  // namespace parley::http

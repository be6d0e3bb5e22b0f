// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parley {

std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);
std::string_view trim(std::string_view s);
// Random version-4 UUID, lower case.
std::string randomUuid();
// Hex of raw bytes, lower case.
std::string toHex(std::string_view bytes);

}  // namespace parley

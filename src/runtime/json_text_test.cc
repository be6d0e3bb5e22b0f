// jsonQuoted and utf8Of against V8's own JSON.stringify and WriteUtf8 (replacing lone surrogates
// with U+FFFD), on hand-picked strings
// (every escape, lone and paired surrogates, Latin-1, cons strings, strings past the reused
// scratch space) and on 20,000 random ones
// mixing one-byte and two-byte characters.
#include "runtime/json_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "runtime/v8_process.h"

namespace parley::runtime {
namespace {

class JsonText : public ::testing::Test {
 protected:
  JsonText() {
    ensureV8();
    allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator_.get();
    isolate_ = v8::Isolate::New(params);
    v8::Isolate::Scope isolateScope(isolate_);
    v8::HandleScope handles(isolate_);
    context_.Reset(isolate_, v8::Context::New(isolate_));
  }
  ~JsonText() override {
    context_.Reset();
    isolate_->Dispose();
  }

  // Checks both functions on the string made of `units` (UTF-16 code units).
  void check(const std::vector<uint16_t>& units) {
    v8::Isolate::Scope isolateScope(isolate_);
    v8::HandleScope handles(isolate_);
    v8::Local<v8::Context> context = context_.Get(isolate_);
    v8::Context::Scope contextScope(context);
    v8::Local<v8::String> s =
        v8::String::NewFromTwoByte(isolate_, units.data(), v8::NewStringType::kNormal,
                                   static_cast<int>(units.size()))
            .ToLocalChecked();
    // Also as a cons string, as `+` builds them.
    v8::Local<v8::String> cons = v8::String::Concat(isolate_, s, s);
    for (v8::Local<v8::String> each : {s, cons}) {
      v8::Local<v8::String> json = v8::JSON::Stringify(context, each).ToLocalChecked();
      v8::String::Utf8Value expectedJson(isolate_, json);
      ASSERT_EQ(jsonQuoted(isolate_, each), std::string(*expectedJson, expectedJson.length()));
      std::string expected(static_cast<size_t>(each->Utf8Length(isolate_)) + 3 * each->Length(), '\0');
      int bytes = each->WriteUtf8(isolate_, expected.data(), static_cast<int>(expected.size()),
                                  nullptr,
                                  v8::String::REPLACE_INVALID_UTF8 | v8::String::NO_NULL_TERMINATION);
      expected.resize(static_cast<size_t>(bytes));
      ASSERT_EQ(utf8Of(isolate_, each), expected);
    }
  }

  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_;
  v8::Global<v8::Context> context_;
};

std::vector<uint16_t> units(std::u16string_view s) { return {s.begin(), s.end()}; }

TEST_F(JsonText, EveryEscapeSurrogatesAndLatin1AreWhatJsonStringifyWrites) {
  check({});
  check(units(u"plain ascii / with slash and \x7f"));
  check(units(u"quote \" backslash \\ controls \b\f\n\r\t \x01\x1f\x0b"));
  check(units(u"Z\u00fcrich S\u00e3o Paulo \u00ff\u0080"));         // Latin-1, one-byte
  check(units(u"\u20ac \u4e2d\u6587 \U0001F600 end"));                // BMP and a pair
  check({0xD800});                                                  // lone high
  check({0xDC00, 'x'});                                             // lone low
  check({'a', 0xDBFF, 0xDBFF, 0xDFFF, 'b'});                        // high, then a pair
  check({0xDFFF, 0xD800});                                          // reversed pair
  check({0xD83D});                                                  // high at the end
  // Longer than the reused scratch space (64 KiB): the call's own buffers.
  std::vector<uint16_t> longOneByte(70000, 0xE9);
  longOneByte[123] = '"';
  check(longOneByte);
  std::vector<uint16_t> longTwoByte;
  for (int i = 0; i < 30000; ++i) longTwoByte.insert(longTwoByte.end(), {0xD83D, 0xDE00, '\n', 0xDC00});
  check(longTwoByte);
}

// Plain ASCII is copied eight (one-byte) or four (two-byte) characters at a time: a character
// that needs escaping or encoding must be caught at every offset within and across those blocks.
TEST_F(JsonText, SpecialCharactersAtEveryOffsetOfAPlainRun) {
  const std::vector<uint16_t> specials = {0x00, 0x1F, ' ' - 1, '"', '\\', 0x7F, 0x80, 0xE9,
                                          0xFF, 0x100, 0x20AC, 0xD800, 0xDC00, '!', '#', '[', ']'};
  for (uint16_t special : specials) {
    for (size_t at = 0; at < 20; ++at) {
      for (bool twoByte : {false, true}) {
        std::vector<uint16_t> s(19, 'a');
        s[at % s.size()] = special;
        if (twoByte) s.push_back(0x4E2D);
        s.insert(s.end(), {'x', 'y', 'z', '{', '}', '~', ' ', 'Z'});
        SCOPED_TRACE(testing::Message() << "special " << special << " at " << at << " two-byte "
                                        << twoByte);
        check(s);
        if (HasFatalFailure()) return;
      }
    }
  }
}

TEST_F(JsonText, RandomStringsMatchV8) {
  std::mt19937 rng(20261124);
  const std::vector<uint16_t> interesting = {0,      0x08,   0x09,   0x0A,   0x0C,   0x0D,
                                             0x1F,   '"',    '\\',   '/',    0x7F,   0x80,
                                             0xFF,   0x100,  0x7FF,  0x800,  0xD7FF, 0xD800,
                                             0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0xFFFF};
  for (int n = 0; n < 20000; ++n) {
    std::vector<uint16_t> s(rng() % 40);
    const bool oneByte = n % 3 == 0;
    const bool mostlyPlain = n % 2 == 0;  // long plain runs, as real text has
    for (auto& u : s) {
      if (mostlyPlain && rng() % 8 != 0) {
        u = static_cast<uint16_t>(' ' + rng() % 95);
        continue;
      }
      switch (rng() % 4) {
        case 0: u = interesting[rng() % interesting.size()]; break;
        case 1: u = static_cast<uint16_t>(rng() % 0x80); break;
        case 2: u = static_cast<uint16_t>(rng() % 0x100); break;
        default: u = static_cast<uint16_t>(rng()); break;
      }
      if (oneByte) u &= 0xFF;
    }
    SCOPED_TRACE(n);
    check(s);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace parley::runtime

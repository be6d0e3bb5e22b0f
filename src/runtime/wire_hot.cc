#include "runtime/wire_hot.h"

#include <type_traits>

namespace parley::runtime::wire {
namespace {

class Writer {
 public:
  explicit Writer(char tag, size_t reserve) {
    out_.reserve(reserve);
    out_ += tag;
  }
  template <typename T>
  void fixed(T v) {
    auto u = static_cast<std::make_unsigned_t<T>>(v);
    for (size_t i = 0; i < sizeof(T); ++i) out_ += static_cast<char>((u >> (8 * i)) & 0xff);
  }
  void str(std::string_view s) {
    fixed(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view in, char tag) : p_(in.data()), end_(in.data() + in.size()) {
    ok_ = p_ != end_ && *p_ == tag;
    if (ok_) ++p_;
  }
  template <typename T>
  T fixed() {
    if (!ok_ || static_cast<size_t>(end_ - p_) < sizeof(T)) {
      ok_ = false;
      return T{};
    }
    std::make_unsigned_t<T> u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      u |= static_cast<std::make_unsigned_t<T>>(static_cast<unsigned char>(p_[i])) << (8 * i);
    }
    p_ += sizeof(T);
    return static_cast<T>(u);
  }
  std::string str() {
    auto n = fixed<uint32_t>();
    if (!ok_ || static_cast<size_t>(end_ - p_) < n) {
      ok_ = false;
      return {};
    }
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  // True while everything read so far was there.
  bool ok() const { return ok_; }
  // True when everything read was there and nothing is left over.
  bool done() const { return ok_ && p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  bool ok_;
};

}  // namespace

std::string encodeInvoke(uint64_t id, std::string_view key, const InvocationContext& c, bool debug) {
  Writer w(kInvokeTag, 48 + key.size() + c.accountId.size() + c.functionUuid.size() +
                           c.functionName.size() + c.invocationId.size());
  w.fixed(id);
  w.str(key);
  w.str(c.accountId);
  w.str(c.functionUuid);
  w.str(c.functionName);
  w.str(c.invocationId);
  w.fixed(static_cast<int32_t>(c.trigger));
  w.fixed(static_cast<int32_t>(c.orchestrationDepth));
  w.fixed(static_cast<uint8_t>(debug));
  return w.take();
}

bool decodeInvoke(std::string_view header, InvokeHeader& out) {
  Reader r(header, kInvokeTag);
  out.id = r.fixed<uint64_t>();
  out.key = r.str();
  out.context.accountId = r.str();
  out.context.functionUuid = r.str();
  out.context.functionName = r.str();
  out.context.invocationId = r.str();
  out.context.trigger = static_cast<Trigger>(r.fixed<int32_t>());
  out.context.orchestrationDepth = r.fixed<int32_t>();
  out.debug = r.fixed<uint8_t>() != 0;
  return r.done();
}

std::string encodeResult(uint64_t id, const InvocationResult& r) {
  size_t size = 64 + r.errorCode.size() + r.errorMessage.size() + r.errorStack.size();
  for (const LogEntry& l : r.logs) size += 20 + l.message.size() + l.extrasJson.size();
  Writer w(kResultTag, size);
  w.fixed(id);
  w.fixed(static_cast<int32_t>(r.outcome));
  w.fixed(static_cast<int64_t>(r.durationUs));
  w.fixed(static_cast<uint8_t>(r.coldStart));
  w.str(r.errorCode);
  w.str(r.errorMessage);
  w.str(r.errorStack);
  w.fixed(static_cast<uint32_t>(r.logs.size()));
  for (const LogEntry& l : r.logs) {
    w.fixed(static_cast<int32_t>(l.level));
    w.fixed(static_cast<int64_t>(l.timestampMs));
    w.str(l.message);
    w.str(l.extrasJson);
  }
  return w.take();
}

bool decodeResult(std::string_view header, uint64_t* id, InvocationResult& out) {
  Reader r(header, kResultTag);
  *id = r.fixed<uint64_t>();
  out.outcome = static_cast<Outcome>(r.fixed<int32_t>());
  out.durationUs = r.fixed<int64_t>();
  out.coldStart = r.fixed<uint8_t>() != 0;
  out.errorCode = r.str();
  out.errorMessage = r.str();
  out.errorStack = r.str();
  auto logs = r.fixed<uint32_t>();
  out.logs.clear();
  for (uint32_t i = 0; i < logs && r.ok(); ++i) {
    LogEntry l;
    l.level = static_cast<LogLevel>(r.fixed<int32_t>());
    l.timestampMs = r.fixed<int64_t>();
    l.message = r.str();
    l.extrasJson = r.str();
    out.logs.push_back(std::move(l));
  }
  return r.done() && out.logs.size() == logs;
}

}  // namespace parley::runtime::wire

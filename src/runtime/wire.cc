#include "runtime/wire.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/write_batch.h"
#include "runtime/wire_hot.h"

namespace parley::runtime::wire {

using nlohmann::json;

namespace {

bool writeAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void putU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t getU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace

bool FrameReader::fill(size_t n) {
  if (end_ - begin_ >= n) return true;
  if (begin_ > 0) {  // keep the unread bytes at the front
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() < n) buf_.resize(n);
  while (end_ < n) {
    ssize_t r = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    end_ += static_cast<size_t>(r);
  }
  return true;
}

bool FrameReader::next(Frame& out) {
  if (begin_ == end_ && buf_.size() > kChunk) {  // after a large frame, give the memory back
    buf_.assign(kChunk, '\0');
    begin_ = end_ = 0;
  }
  if (!fill(8)) return false;
  uint32_t headerLen = getU32(buf_.data() + begin_), bodyLen = getU32(buf_.data() + begin_ + 4);
  if (headerLen > kMaxFrameBytes || bodyLen > kMaxFrameBytes) return false;
  if (!fill(8 + size_t{headerLen} + bodyLen)) return false;
  const char* p = buf_.data() + begin_ + 8;
  out.body.assign(p + headerLen, bodyLen);
  begin_ += 8 + size_t{headerLen} + bodyLen;
  if (headerLen > 0 && (*p == kInvokeTag || *p == kResultTag)) {
    out.header = nullptr;
    out.binary.assign(p, headerLen);
    return true;
  }
  out.binary.clear();
  out.header = json::parse(p, p + headerLen, nullptr, false);
  return !out.header.is_discarded() && out.header.is_object();
}

void appendFrame(std::string& out, std::string_view h, std::string_view body) {
  const size_t at = out.size();
  out.resize(at + 8 + h.size() + body.size());
  char* p = out.data() + at;
  putU32(p, static_cast<uint32_t>(h.size()));
  putU32(p + 4, static_cast<uint32_t>(body.size()));
  memcpy(p + 8, h.data(), h.size());
  if (!body.empty()) memcpy(p + 8 + h.size(), body.data(), body.size());
}

FrameWriter::FrameWriter(int fd) : state_(std::make_shared<State>()) { state_->fd = fd; }

FrameWriter::~FrameWriter() { close(); }

std::string FrameWriter::serialize(const json& header) {
  return header.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool FrameWriter::write(const json& header, std::string_view body) {
  return writeSerialized(serialize(header), body);
}

void FrameWriter::queue(const json& header, std::string_view body) {
  queueSerialized(serialize(header), body);
}

bool FrameWriter::flush(State& s) {
  if (s.queued.empty()) return s.fd >= 0;
  bool ok = s.fd >= 0 && writeAll(s.fd, s.queued.data(), s.queued.size());
  // A large burst's buffer is not kept for the next one.
  if (s.queued.capacity() > (256u << 10)) {
    std::string().swap(s.queued);
  } else {
    s.queued.clear();
  }
  return ok;
}

bool FrameWriter::writeSerialized(std::string_view h, std::string_view body) {
  State& s = *state_;
  std::lock_guard lock(s.mu);
  appendFrame(s.queued, h, body);
  return flush(s);
}

void FrameWriter::queueSerialized(std::string_view h, std::string_view body) {
  WriteBatch* batch = WriteBatch::current();
  if (!batch) {
    (void)writeSerialized(h, body);
    return;
  }
  State& s = *state_;
  std::lock_guard lock(s.mu);
  appendFrame(s.queued, h, body);
  // Another thread's batch may already hold the flush; this thread's batch flushes too (the
  // deferral is per batch), so a frame never waits for a batch other than its own thread's.
  batch->defer(&s, [state = state_] {
    std::lock_guard held(state->mu);
    (void)flush(*state);
  });
}

void FrameWriter::close() {
  std::lock_guard lock(state_->mu);
  state_->fd = -1;
  std::string().swap(state_->queued);
}

json toJson(const Limits& l) {
  return {{"timeoutMs", l.timeoutMs},         {"memoryBytes", l.memoryBytes},
          {"maxLogEntries", l.maxLogEntries}, {"maxLogBytes", l.maxLogBytes},
          {"maxPayloadBytes", l.maxPayloadBytes}, {"maxResultBytes", l.maxResultBytes}};
}

Limits limitsFromJson(const json& j) {
  Limits l;
  l.timeoutMs = j.value("timeoutMs", l.timeoutMs);
  l.memoryBytes = j.value("memoryBytes", l.memoryBytes);
  l.maxLogEntries = j.value("maxLogEntries", l.maxLogEntries);
  l.maxLogBytes = j.value("maxLogBytes", l.maxLogBytes);
  l.maxPayloadBytes = j.value("maxPayloadBytes", l.maxPayloadBytes);
  l.maxResultBytes = j.value("maxResultBytes", l.maxResultBytes);
  return l;
}

json toJson(const InvocationContext& c) {
  return {{"account", c.accountId},       {"uuid", c.functionUuid},
          {"name", c.functionName},       {"invocation", c.invocationId},
          {"trigger", static_cast<int>(c.trigger)}, {"depth", c.orchestrationDepth}};
}

InvocationContext contextFromJson(const json& j) {
  InvocationContext c;
  c.accountId = j.value("account", "");
  c.functionUuid = j.value("uuid", "");
  c.functionName = j.value("name", "");
  c.invocationId = j.value("invocation", "");
  c.trigger = static_cast<Trigger>(j.value("trigger", static_cast<int>(Trigger::kLocal)));
  c.orchestrationDepth = j.value("depth", 0);
  return c;
}

InvocationResult resultFromJson(const json& j, std::string body) {
  InvocationResult r;
  r.outcome = static_cast<Outcome>(j.value("outcome", static_cast<int>(Outcome::kPlatformFailure)));
  r.resultJson = std::move(body);
  r.errorCode = j.value("code", "");
  r.errorMessage = j.value("message", "");
  r.errorStack = j.value("stack", "");
  r.durationUs = j.value("durationUs", int64_t{0});
  r.coldStart = j.value("cold", false);
  if (j.contains("logs") && j["logs"].is_array()) {
    for (const json& l : j["logs"]) {
      if (!l.is_array() || l.size() != 4) continue;
      r.logs.push_back(LogEntry{static_cast<LogLevel>(l[0].get<int>()), l[1].get<std::string>(),
                                l[2].get<std::string>(), l[3].get<int64_t>()});
    }
  }
  return r;
}

}  // namespace parley::runtime::wire

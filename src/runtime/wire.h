// The message format between the server (parent) and its runtime worker processes.
//
// A frame is [u32 header length][u32 body length][header][body: raw bytes], both lengths
// little-endian. The header is a JSON object, or for the invoke and result frames a binary one
// (wire_hot.h) told apart by its first byte. Headers are small; large data (function code,
// inputs, results, host call bodies) travels in the body, unescaped. Readers reject frames over
// kMaxFrameBytes.
//
// Thread-safety: FrameWriter serialises concurrent writers; a FrameReader is for one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/host_services.h"
#include "runtime/types.h"

namespace parley::runtime::wire {

inline constexpr uint32_t kMaxFrameBytes = 512u << 20;

struct Frame {
  nlohmann::json header;  // a JSON header; null when the header is binary
  std::string binary;     // a binary header (wire_hot.h); empty when it is JSON
  std::string body;
};

// Reads frames from one fd through a buffer: one read() takes whatever the peer has written, so
// a burst of frames costs one system call (and one wake-up) rather than three per frame.
class FrameReader {
 public:
  explicit FrameReader(int fd) : fd_(fd), buf_(kChunk, '\0') {}
  // Blocks until a whole frame is read. False on EOF, error or a malformed frame.
  bool next(Frame& out);

 private:
  static constexpr size_t kChunk = 64 << 10;
  // Until at least n bytes are buffered from begin_; false on EOF or error.
  bool fill(size_t n);

  int fd_;
  std::string buf_;
  size_t begin_ = 0, end_ = 0;  // the unread bytes are buf_[begin_, end_)
};

// Writes frames to one fd. Frames leave in the order they were given to write/queue, whichever
// thread gave them.
class FrameWriter {
 public:
  explicit FrameWriter(int fd);
  ~FrameWriter();  // close()s: a flush still deferred to a batch then writes nothing
  // Writes the frame now, after any queued ones. False when the peer is gone.
  bool write(const nlohmann::json& header, std::string_view body = {});
  // The same with the header already serialised: a JSON object or a binary header (wire_hot.h).
  bool writeSerialized(std::string_view header, std::string_view body = {});
  // With a WriteBatch open on the calling thread (base/write_batch.h), queues the frame and
  // defers a flush to that batch: a burst of frames leaves in one write(), waking the reader
  // once. Without one, writes it now. Only for frames nobody blocks on before the batch closes
  // (invocations, whose results come back asynchronously). A queued frame to a peer that is gone
  // is lost as a written one would be: the caller learns of the peer's end from its reader.
  void queueSerialized(std::string_view header, std::string_view body = {});
  // The same with a JSON header, serialised as write() does.
  void queue(const nlohmann::json& header, std::string_view body = {});
  // Stops writing: what is queued is dropped and later frames go nowhere. Call it before
  // closing the fd, so a flush deferred to a batch cannot write to a reused descriptor.
  void close();

 private:
  struct State {
    std::mutex mu;
    int fd;                // Guarded by mu; -1 once closed
    std::string queued;    // Guarded by mu: whole frames, oldest first
  };
  static bool flush(State& s);  // s.mu held
  static std::string serialize(const nlohmann::json& header);

  std::shared_ptr<State> state_;  // shared with the flushes deferred to batches
};

// Appends one frame to `out`.
void appendFrame(std::string& out, std::string_view header, std::string_view body);

nlohmann::json toJson(const Limits& l);
Limits limitsFromJson(const nlohmann::json& j);
nlohmann::json toJson(const InvocationContext& c);
InvocationContext contextFromJson(const nlohmann::json& j);
// A JSON "result" header (what a worker process answers for a function it does not know; the
// results of invocations come in binary headers, wire_hot.h) with the frame's body.
InvocationResult resultFromJson(const nlohmann::json& j, std::string body);

}  // namespace parley::runtime::wire

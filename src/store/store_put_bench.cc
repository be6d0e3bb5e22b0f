// Times InvocationRepository::put, the store's hot path: one put per invocation, each with three
// log lines, on a fresh database in a temporary directory. Prints numbers; asserts nothing.
//
//   store_put_bench [count=10000] [threads=4] [ids=random|ordered]
//
// `ordered` ids sort by creation time (like UUIDv7), so index inserts append instead of landing
// on random pages.
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/strings.h"
#include "store/sqlite_store.h"

namespace {

using parley::store::InvocationRecord;
using parley::store::Store;

bool orderedIds = false;

InvocationRecord makeRecord(int64_t i) {
  InvocationRecord r;
  if (orderedIds) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "%012llx-", static_cast<unsigned long long>(i));
    r.id = prefix + parley::randomUuid().substr(13);
  } else {
    r.id = parley::randomUuid();  // version 4: inserts land all over the id indexes
  }
  r.accountId = "acme";
  r.functionUuid = "f-" + std::to_string(i % 10);
  r.version = 3;
  r.trigger = "http";
  r.status = "done";
  r.outcome = "SUCCEEDED";
  r.resultJson = R"({"greeting":"hello world","n":42})";
  r.durationUs = 850;
  r.startedAt = 1'700'000'000'000 + i;
  r.finishedAt = r.startedAt + 1;
  r.logs = {{"Info", "handling request " + std::to_string(i), "[]", r.startedAt},
            {"Debug", "looked up the customer", R"([{"id":123}])", r.startedAt},
            {"Info", "done", "[]", r.finishedAt}};
  return r;
}

struct Timing {
  double meanUs;                // wall time / puts
  int64_t p50Us, p99Us, maxUs;  // of single puts
};

Timing timePuts(Store& store, int64_t count, int threads, int64_t offset) {
  parley::SystemClock& clock = parley::SystemClock::instance();
  std::vector<int64_t> latencies(static_cast<size_t>(count));
  int64_t start = clock.monotonicUs();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int64_t i = t; i < count; i += threads) {
        InvocationRecord r = makeRecord(offset + i);
        int64_t before = clock.monotonicUs();
        auto s = store.invocations().put(r);
        latencies[static_cast<size_t>(i)] = clock.monotonicUs() - before;
        if (!s.ok()) {
          std::fprintf(stderr, "put failed: %s\n", s.error().message().c_str());
          std::exit(1);
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  Timing t;
  t.meanUs = static_cast<double>(clock.monotonicUs() - start) / static_cast<double>(count);
  std::sort(latencies.begin(), latencies.end());
  t.p50Us = latencies[latencies.size() / 2];
  t.p99Us = latencies[latencies.size() * 99 / 100];
  t.maxUs = latencies.back();
  return t;
}

void print(const char* what, int64_t count, const Timing& t) {
  std::printf(
      "%s: %lld puts with 3 logs each: %.1f us/put (%.0f puts/s); single put p50 %lld us, "
      "p99 %lld us, max %lld us\n",
      what, static_cast<long long>(count), t.meanUs, 1e6 / t.meanUs,
      static_cast<long long>(t.p50Us), static_cast<long long>(t.p99Us),
      static_cast<long long>(t.maxUs));
}

// Microseconds per put when `batch` puts share one transaction (what a write-behind queue in
// the control layer could do).
double timeBatchedPuts(Store& store, int64_t count, int64_t batch, int64_t offset) {
  parley::SystemClock& clock = parley::SystemClock::instance();
  int64_t start = clock.monotonicUs();
  for (int64_t i = 0; i < count; i += batch) {
    auto s = store.transaction([&]() -> parley::Status {
      for (int64_t j = i; j < std::min(count, i + batch); ++j) {
        auto put = store.invocations().put(makeRecord(offset + j));
        if (!put.ok()) return put;
      }
      return parley::okStatus();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "batch failed: %s\n", s.error().message().c_str());
      std::exit(1);
    }
  }
  return static_cast<double>(clock.monotonicUs() - start) / static_cast<double>(count);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t count = argc > 1 ? std::stoll(argv[1]) : 10000;
  int threads = argc > 2 ? std::stoi(argv[2]) : 4;
  orderedIds = argc > 3 && std::string(argv[3]) == "ordered";
  std::printf("%s ids\n", orderedIds ? "time-ordered" : "random (v4)");
  std::string dir = (std::filesystem::temp_directory_path() / "parley-bench-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return 1;

  int rc = 0;
  {
    auto opened =
        parley::store::openSqliteStore(dir + "/parley.db", parley::SystemClock::instance());
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.error().message().c_str());
      rc = 1;
    } else {
      Store& store = **opened;
      print("put, 1 thread", count, timePuts(store, count, 1, 0));
      std::string label = "put, " + std::to_string(threads) + " threads";
      print(label.c_str(), count, timePuts(store, count, threads, count));
      double batched = timeBatchedPuts(store, count, 100, 2 * count);
      std::printf("put, 100 per transaction: %lld puts: %.1f us/put (%.0f puts/s)\n",
                  static_cast<long long>(count), batched, 1e6 / batched);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return rc;
}

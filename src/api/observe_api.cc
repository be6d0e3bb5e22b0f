// Routes: function logs (query, CSV export, live tail over Server-Sent Events), invocation
// lists, metrics per function and per account, the activity stream, and GET /metrics
// (Prometheus, for operators).
#include <algorithm>
#include <cctype>
#include <ctime>

#include "api/api.h"
#include "api/log_format.h"
#include "api/support.h"
#include "api/views.h"

namespace parley::api {

namespace {

using control::Action;
using http::Request;
using http::Respond;

constexpr int64_t kMaxLimit = 1000;
constexpr int64_t kExportPage = 1000;
constexpr std::size_t kExportLowWater = 256 * 1024;

// Epoch milliseconds, or ISO 8601 UTC ("2026-11-24T04:00:00Z", optional ".mmm").
Result<int64_t> timeParam(const Request& r, const char* name, int64_t fallback) {
  auto v = r.queryParam(name);
  if (!v || v->empty()) return fallback;
  const std::string& s = *v;
  if (std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
      s.size() <= 15) {
    return std::stoll(s);
  }
  std::tm tm{};
  int ms = 0;
  char tail[8] = {0};
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                      &tm.tm_hour, &tm.tm_min, &tm.tm_sec, tail);
  std::string rest = n == 7 ? tail : "";
  if (!rest.empty() && rest[0] == '.') {
    size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    std::string frac = rest.substr(1, digits - 1);
    if (frac.empty() || frac.size() > 3) rest = "bad";
    else {
      while (frac.size() < 3) frac += '0';
      ms = std::stoi(frac);
      rest = rest.substr(digits);
    }
  }
  if (n < 6 || (rest != "Z" && rest != "")) {
    return Error::invalidArgument(std::string("'") + name +
                                  "' must be epoch milliseconds or an ISO 8601 UTC time "
                                  "(2026-01-31T12:00:00Z), got '" + s + "'");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

Result<int64_t> limitParam(const Request& r, int64_t fallback = 100) {
  auto v = r.queryParam("limit");
  if (!v || v->empty()) return fallback;
  try {
    size_t used = 0;
    int64_t n = std::stoll(*v, &used);
    if (used == v->size() && n >= 1 && n <= kMaxLimit) return n;
  } catch (...) {
  }
  return Error::invalidArgument("'limit' must be an integer from 1 to " + std::to_string(kMaxLimit));
}

// level=Info,Warn and/or level=Info&level=Warn; names as stored (Debug, Info, Warn, Error),
// any case; LivePerson's "Warning" means Warn.
Result<std::vector<std::string>> levelsParam(const Request& r) {
  std::vector<std::string> levels;
  auto [begin, end] = r.query.equal_range("level");
  for (auto it = begin; it != end; ++it) {
    size_t pos = 0;
    const std::string& v = it->second;
    while (pos <= v.size()) {
      size_t comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      std::string name = v.substr(pos, comma - pos);
      pos = comma + 1;
      if (name.empty()) continue;
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string canonical = lower == "debug"                      ? "Debug"
                              : lower == "info"                     ? "Info"
                              : lower == "warn" || lower == "warning" ? "Warn"
                              : lower == "error"                    ? "Error"
                                                                    : "";
      if (canonical.empty()) {
        return Error::invalidArgument("'level' must be a list of Debug, Info, Warn, Error; got '" +
                                      name + "'");
      }
      if (std::find(levels.begin(), levels.end(), canonical) == levels.end()) {
        levels.push_back(canonical);
      }
    }
  }
  return levels;
}

// Cursors are dot-separated integers; opaque to clients.
Result<std::vector<int64_t>> cursorParam(const Request& r, size_t parts) {
  std::vector<int64_t> out;
  auto v = r.queryParam("cursor");
  if (!v || v->empty()) return out;
  size_t pos = 0;
  while (pos <= v->size() && out.size() < parts) {
    size_t dot = v->find('.', pos);
    if (dot == std::string::npos) dot = v->size();
    try {
      size_t used = 0;
      std::string part = v->substr(pos, dot - pos);
      out.push_back(std::stoll(part, &used));
      if (used != part.size()) return Error::invalidArgument("'cursor' is not a cursor this API gave");
    } catch (...) {
      return Error::invalidArgument("'cursor' is not a cursor this API gave");
    }
    pos = dot + 1;
  }
  if (out.size() != parts || pos <= v->size()) {
    return Error::invalidArgument("'cursor' is not a cursor this API gave");
  }
  return out;
}

// The paging parameters of a list: from, to, limit and a cursor of `cursorParts` integers
// (empty when absent).
struct Paging {
  int64_t from = 0;
  int64_t to = 0;
  int64_t limit = 100;
  std::vector<int64_t> cursor;
};

Result<Paging> pagingParams(const Request& r, size_t cursorParts) {
  Paging p;
  auto from = timeParam(r, "from", 0);
  if (!from.ok()) return from.error();
  auto to = timeParam(r, "to", 0);
  if (!to.ok()) return to.error();
  auto limit = limitParam(r);
  if (!limit.ok()) return limit.error();
  auto cursor = cursorParam(r, cursorParts);
  if (!cursor.ok()) return cursor.error();
  p.from = *from;
  p.to = *to;
  p.limit = *limit;
  p.cursor = std::move(*cursor);
  return p;
}

// The function's uuid: by name or uuid; a uuid of a deleted function still names its records.
Result<std::string> functionUuid(ApiContext& ctx, const std::string& accountId,
                                 const std::string& ref) {
  auto f = ctx.functions.get(accountId, ref);
  if (f.ok()) return f->function.uuid;
  if (f.error().code() == ErrorCode::kNotFound && ref.size() == 36 && ref[8] == '-') return ref;
  return f.error();
}

// The LogQuery of a logs request (without limit and cursor).
Result<store::LogQuery> logQuery(ApiContext& ctx, const Request& r) {
  store::LogQuery q;
  q.accountId = r.param("acct");
  auto uuid = functionUuid(ctx, q.accountId, r.param("fn"));
  if (!uuid.ok()) return uuid.error();
  q.functionUuid = *uuid;
  auto from = timeParam(r, "from", 0);
  if (!from.ok()) return from.error();
  auto to = timeParam(r, "to", 0);
  if (!to.ok()) return to.error();
  q.from = *from;
  q.to = *to;
  auto levels = levelsParam(r);
  if (!levels.ok()) return levels.error();
  q.levels = std::move(*levels);
  q.invocationId = r.queryParam("invocationId").value_or("");
  q.text = r.queryParam("q").value_or("");
  auto order = r.queryParam("order").value_or("desc");
  if (order != "asc" && order != "desc") {
    return Error::invalidArgument("'order' must be asc or desc");
  }
  q.ascending = order == "asc";
  return q;
}

std::string logCursor(const store::LogLine& l) {
  return std::to_string(l.invocationStartedAt) + "." + std::to_string(l.invocationRowId) + "." +
         std::to_string(l.seq);
}

// Streams a CSV export page by page, waiting for the client to read each (whenWritable), so an
// export of any size holds at most a page and the low-water mark in memory.
class CsvExport : public std::enable_shared_from_this<CsvExport> {
 public:
  CsvExport(ApiContext& ctx, store::LogQuery q, std::shared_ptr<http::ResponseStream> stream)
      : ctx_(ctx), q_(std::move(q)), stream_(std::move(stream)) {
    q_.ascending = true;
    q_.limit = kExportPage;
  }

  void start() {
    if (!stream_->write(kLogCsvHeader)) return;
    next();
  }

 private:
  void next() {
    auto page = ctx_.invocations.logs(q_);
    if (!page.ok()) {
      // The status line is gone: the export ends early, and the last line says why.
      stream_->write("# export failed: " + page.error().message() + "\n");
      return stream_->close();
    }
    std::string out;
    for (const store::LogLine& l : *page) out += csvLogLine(l);
    if (!stream_->write(std::move(out))) return;
    if (static_cast<int64_t>(page->size()) < q_.limit) return stream_->close();
    const store::LogLine& last = page->back();
    q_.after = std::make_tuple(last.invocationStartedAt, last.invocationRowId, last.seq);
    stream_->whenWritable(kExportLowWater, [self = shared_from_this()] { self->next(); });
  }

  ApiContext& ctx_;
  store::LogQuery q_;
  std::shared_ptr<http::ResponseStream> stream_;
};

Result<int64_t> bucketParam(const Request& r, int64_t from, int64_t to) {
  auto v = r.queryParam("bucket");
  if (!v || v->empty()) {
    // LivePerson's CLI: 5 m up to an hour, 1 h up to a week, else 1 d.
    if (to - from <= 3600LL * 1000) return control::kMetricsBucketMs;
    if (to - from <= 7 * 24 * 3600LL * 1000) return 3600LL * 1000;
    return 24 * 3600LL * 1000;
  }
  if (*v == "5m") return control::kMetricsBucketMs;
  if (*v == "1h") return 3600LL * 1000;
  if (*v == "1d") return 24 * 3600LL * 1000;
  return Error::invalidArgument("'bucket' must be 5m, 1h or 1d");
}

nlohmann::json pointJson(const control::MetricsPoint& p, bool withStart) {
  nlohmann::json j = {{"total", p.total()},
                      {"succeeded", p.succeeded},
                      {"codingFailure", p.codingFailure},
                      {"platformFailure", p.platformFailure},
                      {"timeout", p.timeout},
                      {"coldStarts", p.coldStarts},
                      {"durationMs", {{"avg", p.avgMs}, {"p50", p.p50Ms}, {"p95", p.p95Ms},
                                      {"p99", p.p99Ms}}}};
  if (withStart) j["start"] = isoTime(p.start);
  return j;
}

std::string bucketName(int64_t ms) {
  return ms == control::kMetricsBucketMs ? "5m" : ms == 3600LL * 1000 ? "1h" : "1d";
}

nlohmann::json activityJson(const store::ActivityRecord& a) {
  nlohmann::json j = {{"id", std::to_string(a.id)},
                      {"timestamp", isoTime(a.at)},
                      {"actor", {{"id", a.actorId}, {"name", a.actorName}}},
                      {"action", a.action},
                      {"target", {{"type", a.targetType}, {"id", a.targetId}, {"name", a.targetName}}},
                      {"description", a.description}};
  j["diff"] = a.diff.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.diff);
  return j;
}

bool unavailable(const void* part, const Respond& respond) {
  if (part) return false;
  respond(errorResponse(Error::unavailable("This server was started without observability")));
  return true;
}

}  // namespace

void addObserveRoutes(http::Router& router, ApiContext& ctx) {
  const std::string account = "/api/v1/accounts/{acct}";
  const std::string fn = account + "/functions/{fn}";

  router.add("GET", fn + "/logs", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto q = logQuery(ctx, r);
    if (!q.ok()) return respond(errorResponse(q.error()));
    auto limit = limitParam(r);
    if (!limit.ok()) return respond(errorResponse(limit.error()));
    auto cursor = cursorParam(r, 3);
    if (!cursor.ok()) return respond(errorResponse(cursor.error()));
    if (!cursor->empty()) q->after = std::make_tuple((*cursor)[0], (*cursor)[1], (*cursor)[2]);
    q->limit = *limit + 1;  // one more tells whether there is a next page
    auto lines = ctx.invocations.logs(*q);
    if (!lines.ok()) return respond(errorResponse(lines.error()));
    bool more = static_cast<int64_t>(lines->size()) > *limit;
    if (more) lines->pop_back();
    std::string body = "{\"logs\":[";
    for (size_t i = 0; i < lines->size(); ++i) {
      if (i) body += ',';
      body += logLineJson((*lines)[i].invocationId, (*lines)[i].log);
    }
    body += "],\"nextCursor\":";
    body += more ? "\"" + logCursor(lines->back()) + "\"" : "null";
    body += "}";
    respond(http::Response::json(200, std::move(body)));
  }, "Log lines of a function: ?from&to (invocation start; epoch ms or ISO 8601)&level=Info,Warn"
     "&invocationId&q (text)&order=desc|asc&limit (≤1000)&cursor → {logs, nextCursor}");

  router.add("GET", fn + "/logs/export", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    auto q = logQuery(ctx, r);
    if (!q.ok()) return respond(errorResponse(q.error()));
    http::Response resp;
    resp.status = 200;
    resp.headers.emplace("Content-Type", "text/csv; charset=utf-8");
    resp.headers.emplace("Content-Disposition",
                         "attachment; filename=\"" + r.param("fn") + "-logs.csv\"");
    resp.stream = [&ctx, q = *q](std::shared_ptr<http::ResponseStream> stream) {
      std::make_shared<CsvExport>(ctx, q, std::move(stream))->start();
    };
    respond(std::move(resp));
  }, "All matching log lines as CSV in LivePerson's layout (lambdaUUID;requestID;timestamp;"
     "level;message;extras), oldest first, streamed, uncapped; same filters as /logs");

  router.add("GET", fn + "/logs/stream", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    if (unavailable(ctx.logHub, respond)) return;
    auto uuid = functionUuid(ctx, r.param("acct"), r.param("fn"));
    if (!uuid.ok()) return respond(errorResponse(uuid.error()));
    auto levels = levelsParam(r);
    if (!levels.ok()) return respond(errorResponse(levels.error()));
    control::LogHub::Filter filter{r.param("acct"), *uuid, std::move(*levels)};
    // Last-Event-ID "<bootId>.<n>": replay what this process still holds after n.
    std::optional<uint64_t> after;
    if (auto last = r.header("Last-Event-ID")) {
      size_t dot = last->find('.');
      if (dot != std::string::npos && last->substr(0, dot) == ctx.logHub->bootId()) {
        try {
          after = std::stoull(last->substr(dot + 1));
        } catch (...) {
        }
      }
    }
    http::Response resp;
    resp.status = 200;
    resp.headers.emplace("Content-Type", "text/event-stream");
    resp.headers.emplace("Cache-Control", "no-cache");
    resp.headers.emplace("X-Accel-Buffering", "no");
    control::LogHub* hub = ctx.logHub;
    resp.stream = [hub, filter = std::move(filter), after](std::shared_ptr<http::ResponseStream> s) {
      const std::string boot = hub->bootId();
      uint64_t id = hub->subscribe(filter, after, [s, boot](const control::LogEvent* e) {
        return e ? s->write(sseLogEvent(boot, *e)) : s->write(": keep-alive\n\n");
      });
      // Sent once subscribed: a client that has read it receives every line written after.
      if (id != 0) s->write("retry: 3000\n: subscribed\n\n");
    };
    respond(std::move(resp));
  }, "Live tail of a function's logs as Server-Sent Events (event 'log', data as in /logs; "
     "?level; Last-Event-ID resumes; keep-alive comments every 15 s)");

  router.add("GET", account + "/invocations", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    store::InvocationQuery q;
    q.accountId = r.param("acct");
    if (auto f = r.queryParam("function"); f && !f->empty()) {
      auto uuid = functionUuid(ctx, q.accountId, *f);
      if (!uuid.ok()) return respond(errorResponse(uuid.error()));
      q.functionUuid = *uuid;
    }
    q.trigger = r.queryParam("trigger").value_or("");
    static const std::vector<std::string> kTriggers = {"http", "event", "schedule", "test",
                                                       "orchestrator"};
    if (!q.trigger.empty() &&
        std::find(kTriggers.begin(), kTriggers.end(), q.trigger) == kTriggers.end()) {
      return respond(errorResponse(Error::invalidArgument(
          "'trigger' must be one of http, event, schedule, test, orchestrator")));
    }
    q.outcome = r.queryParam("outcome").value_or("");
    static const std::vector<std::string> kOutcomes = {"SUCCEEDED", "CODING_FAILURE",
                                                       "PLATFORM_FAILURE", "TIMEOUT"};
    if (!q.outcome.empty() &&
        std::find(kOutcomes.begin(), kOutcomes.end(), q.outcome) == kOutcomes.end()) {
      return respond(errorResponse(Error::invalidArgument(
          "'outcome' must be one of SUCCEEDED, CODING_FAILURE, PLATFORM_FAILURE, TIMEOUT")));
    }
    auto paging = pagingParams(r, 2);
    if (!paging.ok()) return respond(errorResponse(paging.error()));
    q.from = paging->from;
    q.to = paging->to;
    if (!paging->cursor.empty()) q.before = std::make_pair(paging->cursor[0], paging->cursor[1]);
    q.limit = paging->limit + 1;  // one more tells whether there is a next page
    auto list = ctx.invocations.list(q);
    if (!list.ok()) return respond(errorResponse(list.error()));
    bool more = static_cast<int64_t>(list->size()) > paging->limit;
    if (more) list->pop_back();
    json out = json::array();
    for (const auto& rec : *list) {
      json j = invocationJson(rec);
      j.erase("logs");
      j.erase("result");
      out.push_back(std::move(j));
    }
    json next = more ? json(std::to_string(list->back().startedAt) + "." +
                            std::to_string(list->back().rowId))
                     : json(nullptr);
    respond(jsonResponse(200, {{"invocations", out}, {"nextCursor", next}}));
  }, "Invocation records, newest first: ?function&trigger&outcome&from&to&limit&cursor → "
     "{invocations, nextCursor} (without logs and results)");

  router.add("GET", fn + "/metrics", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    if (unavailable(ctx.metrics, respond)) return;
    auto f = ctx.functions.get(r.param("acct"), r.param("fn"));
    if (!f.ok()) return respond(errorResponse(f.error()));
    // Wall-clock "now" of the server: the same clock the metrics were bucketed with.
    int64_t now = static_cast<int64_t>(std::time(nullptr)) * 1000;
    auto to = timeParam(r, "to", now);
    if (!to.ok()) return respond(errorResponse(to.error()));
    auto from = timeParam(r, "from", *to - 24 * 3600LL * 1000);
    if (!from.ok()) return respond(errorResponse(from.error()));
    auto bucket = bucketParam(r, *from, *to);
    if (!bucket.ok()) return respond(errorResponse(bucket.error()));
    auto m = ctx.metrics->function(r.param("acct"), f->function.uuid, *from, *to, *bucket);
    if (!m.ok()) return respond(errorResponse(m.error()));
    json buckets = json::array();
    for (const auto& p : m->points) buckets.push_back(pointJson(p, true));
    respond(jsonResponse(200, {{"function", {{"uuid", f->function.uuid}, {"name", f->function.name}}},
                               {"from", isoTime(m->from)},
                               {"to", isoTime(m->to)},
                               {"bucket", bucketName(m->bucketMs)},
                               {"buckets", buckets},
                               {"totals", pointJson(m->totals, false)}}));
  }, "Invocation counts by outcome, cold starts and duration percentiles per bucket: "
     "?from&to (≤31 days; default the last 24 h)&bucket=5m|1h|1d (test invocations not counted)");

  router.add("GET", account + "/metrics", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    if (unavailable(ctx.metrics, respond)) return;
    auto m = ctx.metrics->account(r.param("acct"));
    if (!m.ok()) return respond(errorResponse(m.error()));
    respond(jsonResponse(200, {{"functions", m->functions},
                               {"deployed", m->deployed},
                               {"monthStart", isoTime(m->monthStart)},
                               {"invocationsThisMonth",
                                {{"total", m->invocationsThisMonth},
                                 {"succeeded", m->succeededThisMonth},
                                 {"failed", m->failedThisMonth}}}}));
  }, "Account counts: functions, deployed functions, invocations this (UTC) month");

  router.add("GET", account + "/activity", [&ctx](Request& r, Respond respond) {
    if (!allow(ctx.identity, r, Action::kRead, respond)) return;
    if (unavailable(ctx.activity, respond)) return;
    store::ActivityQuery q;
    q.accountId = r.param("acct");
    if (auto f = r.queryParam("function"); f && !f->empty()) {
      auto uuid = functionUuid(ctx, q.accountId, *f);
      if (!uuid.ok()) return respond(errorResponse(uuid.error()));
      q.targetId = *uuid;
    }
    auto paging = pagingParams(r, 1);
    if (!paging.ok()) return respond(errorResponse(paging.error()));
    q.from = paging->from;
    q.to = paging->to;
    if (!paging->cursor.empty()) q.beforeId = paging->cursor[0];
    q.limit = paging->limit + 1;
    auto list = ctx.activity->list(q);
    if (!list.ok()) return respond(errorResponse(list.error()));
    bool more = static_cast<int64_t>(list->size()) > paging->limit;
    if (more) list->pop_back();
    json out = json::array();
    for (const auto& a : *list) out.push_back(activityJson(a));
    respond(jsonResponse(200, {{"activity", out},
                               {"nextCursor", more ? json(std::to_string(list->back().id))
                                                   : json(nullptr)}}));
  }, "The activity stream, newest first (90 days): ?function&from&to&limit&cursor → "
     "{activity: [{id, timestamp, actor, action, target, description, diff}], nextCursor}");

  router.add("GET", "/metrics", [&ctx](Request& r, Respond respond) {
    if (unavailable(ctx.metrics, respond)) return;
    bool byToken = false;
    if (!ctx.metricsToken.empty()) {
      std::string expected = "Bearer " + ctx.metricsToken;
      std::string got = r.header("Authorization").value_or("");
      unsigned char diff = got.size() == expected.size() ? 0 : 1;
      for (size_t i = 0; i < got.size() && i < expected.size(); ++i) {
        diff |= static_cast<unsigned char>(got[i] ^ expected[i]);  // constant time
      }
      byToken = diff == 0;
    }
    if (!byToken) {
      auto p = authenticate(ctx.identity, r);
      if (!p.ok()) return respond(errorResponse(p.error()));
      if (Status s = ctx.identity.requireOperator(*p); !s.ok()) {
        return respond(errorResponse(s.error()));
      }
    }
    std::vector<control::MetricsService::Gauge> gauges = {
        {"parley_invocations_running", "Invocations running now.",
         static_cast<double>(ctx.invocations.running())}};
    if (ctx.logHub) {
      gauges.push_back({"parley_log_tail_subscribers", "Open live-tail (SSE) connections.",
                        static_cast<double>(ctx.logHub->subscribers())});
    }
    respond(http::Response::text(200, ctx.metrics->prometheus(gauges),
                                 "text/plain; version=0.0.4; charset=utf-8"));
  }, "Operator metrics in Prometheus text format (operator token, or the --metrics-token)");
}

}  // namespace parley::api

// `parley logs NAME [-f] [--since 1h] [--level Info,Warn]` and `parley metrics NAME`.
#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/output.h"

namespace parley::cli {

namespace {

using nlohmann::json;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "90s", "15m", "1h", "7d" → milliseconds; a usage error naming `option` otherwise.
int64_t durationMs(const std::string& text, const std::string& option) {
  size_t used = 0;
  int64_t n = -1;
  try {
    n = std::stoll(text, &used);
  } catch (...) {
  }
  std::string unit = n >= 0 ? text.substr(used) : "";
  int64_t scale = unit == "s" ? 1000 : unit == "m" ? 60000 : unit == "h" ? 3600000 : unit == "d" ? 86400000 : 0;
  if (n <= 0 || scale == 0) {
    throw usageError(option + " takes a duration such as 30m, 1h or 7d, got '" + text + "'");
  }
  return n * scale;
}

std::string localTime(const json& ts) {
  if (!ts.is_number()) return cellText(ts);
  int64_t ms = ts.get<int64_t>();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

std::vector<Column> logColumns() {
  return {{"time", "timestamp", [](const json& r) { return localTime(r.value("timestamp", json())); }},
          {"level", "level"},
          {"invocation", "invocationId"},
          {"message", "message"},
          {"extras", "extras", [](const json& r) {
             json e = r.value("extras", json::array());
             return e.is_array() && e.empty() ? std::string() : e.dump();
           }}};
}

struct LogsOptions {
  std::string name;
  bool follow = false;
  std::string since = "1h";
  std::string level;
  std::string invocation;
  std::string search;
  int limit = 100;
};

// Reads Server-Sent Events and prints each `log` event's line as it arrives.
void follow(const Session& s, const std::string& path, const std::string& format) {
  std::string buffer;
  s.client.stream(path, [&](std::string_view chunk) {
    buffer.append(chunk);
    size_t end;
    while ((end = buffer.find("\n\n")) != std::string::npos) {
      std::string event = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      std::string data;
      size_t pos = 0;
      while (pos < event.size()) {
        size_t nl = event.find('\n', pos);
        std::string line = event.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        if (line.rfind("data:", 0) == 0) data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
        pos = nl == std::string::npos ? event.size() : nl + 1;
      }
      if (data.empty()) continue;  // comments, keep-alives, retry
      json line = json::parse(data, nullptr, false);
      if (line.is_discarded()) continue;
      if (format == "json") {
        std::cout << line.dump() << std::endl;
      } else {
        std::cout << localTime(line.value("timestamp", json())) << "  " << line.value("level", "")
                  << "  " << line.value("invocationId", "") << "  " << line.value("message", "");
        json extras = line.value("extras", json::array());
        if (extras.is_array() && !extras.empty()) std::cout << "  " << extras.dump();
        std::cout << std::endl;
      }
    }
    return true;
  });
}

int logs(const Globals& g, const LogsOptions& o) {
  Session s = openSession(g);
  std::string base = s.functionPath(o.name) + "/logs";
  if (!o.level.empty()) {
    for (const std::string& l : splitList(o.level)) {
      if (l != "Debug" && l != "Info" && l != "Warn" && l != "Error") {
        throw usageError("--level takes Debug, Info, Warn, Error (comma separated), got '" + l + "'");
      }
    }
  }
  if (o.follow) {
    std::string path = base + "/stream";
    if (!o.level.empty()) path += "?level=" + urlEncode(o.level);
    std::cerr << "Following the logs of " << o.name << " (Ctrl-C to stop)…" << std::endl;
    follow(s, path, g.output);
    return 0;
  }
  std::string query = "?order=asc&from=" + std::to_string(nowMs() - durationMs(o.since, "--since")) +
                      "&limit=" + std::to_string(o.limit);
  if (!o.level.empty()) query += "&level=" + urlEncode(o.level);
  if (!o.invocation.empty()) query += "&invocationId=" + urlEncode(o.invocation);
  if (!o.search.empty()) query += "&q=" + urlEncode(o.search);
  json page = s.client.call("GET", base + query);
  json lines = page.value("logs", json::array());
  if (g.output == "json") {
    std::cout << lines.dump(2) << "\n";
  } else {
    printRows(std::cout, g.output, lines, logColumns());
  }
  if (!page.value("nextCursor", json()).is_null() && g.output == "table") {
    std::cerr << "(more lines: narrow --since, or raise --limit)\n";
  }
  return 0;
}

struct MetricsOptions {
  std::string name;
  std::string since = "24h";
  std::string bucket;
};

int metrics(const Globals& g, const MetricsOptions& o) {
  Session s = openSession(g);
  int64_t to = nowMs();
  std::string query = "?from=" + std::to_string(to - durationMs(o.since, "--since")) +
                      "&to=" + std::to_string(to);
  if (!o.bucket.empty()) query += "&bucket=" + urlEncode(o.bucket);
  json m = s.client.call("GET", s.functionPath(o.name) + "/metrics" + query);
  if (g.output == "json") {
    std::cout << m.dump(2) << "\n";
    return 0;
  }
  std::vector<Column> cols = {{"start", "start"},         {"total", "total"},
                              {"succeeded", "succeeded"}, {"coding failure", "codingFailure"},
                              {"platform failure", "platformFailure"},
                              {"timeout", "timeout"},     {"cold starts", "coldStarts"},
                              {"p50 ms", "durationMs.p50"}, {"p95 ms", "durationMs.p95"},
                              {"p99 ms", "durationMs.p99"}};
  json rows = json::array();
  for (const json& b : m.value("buckets", json::array())) {
    if (g.output == "csv" || b.value("total", 0) > 0) rows.push_back(b);
  }
  if (g.output == "table") {
    std::cout << o.name << ": " << m.value("from", "") << " to " << m.value("to", "") << ", "
              << m.value("bucket", "") << " buckets\n";
  }
  printRows(std::cout, g.output, rows, cols);
  if (g.output == "table") {
    json t = m.value("totals", json::object());
    t["start"] = "total";
    printRows(std::cout, "table", json::array({t}), cols);
  }
  return 0;
}

}  // namespace

void addObserveCommands(CommandContext& c) {
  auto o = std::make_shared<LogsOptions>();
  CLI::App* logsCmd = c.app.add_subcommand("logs", "Show a function's logs, or follow them (-f)");
  logsCmd->add_option("name", o->name, "The function")->required();
  logsCmd->add_flag("-f,--follow", o->follow, "Stream new log lines as they are written");
  logsCmd->add_option("-s,--since", o->since, "How far back: 30m, 1h (default), 7d…");
  logsCmd->add_option("-l,--level", o->level, "Levels to show: Debug,Info,Warn,Error");
  logsCmd->add_option("-i,--invocation", o->invocation, "Only this invocation's lines");
  logsCmd->add_option("-q,--search", o->search, "Only lines containing this text");
  logsCmd->add_option("-n,--limit", o->limit, "At most this many lines (default 100, ≤1000)");
  logsCmd->callback([&c, o] { runGuarded("logs", c.exitCode, [&] { return logs(c.globals, *o); }); });

  auto m = std::make_shared<MetricsOptions>();
  CLI::App* metricsCmd = c.app.add_subcommand("metrics", "Invocation counts, failures and latency of a function");
  metricsCmd->add_option("name", m->name, "The function")->required();
  metricsCmd->add_option("-s,--since", m->since, "How far back: 1h, 24h (default), 30d…");
  metricsCmd->add_option("-b,--bucket", m->bucket, "Bucket size: 5m, 1h or 1d (default: by range)");
  metricsCmd->callback([&c, m] {
    runGuarded("metrics", c.exitCode, [&] { return metrics(c.globals, *m); });
  });
}

}  // namespace parley::cli

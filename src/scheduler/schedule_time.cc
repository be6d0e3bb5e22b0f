#include "scheduler/schedule_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <exception>
#include <optional>

namespace parley::scheduler {
namespace {

using std::chrono::seconds;

constexpr int64_t kDay = 86'400;
// Larger than any UTC offset the tz database has ever held (about ±16 h).
constexpr int64_t kMaxOffset = 26 * 3'600;
constexpr int64_t kMinSeconds = -2'208'988'800;   // 1900-01-01T00:00:00Z
constexpr int64_t kMaxSeconds = 253'402'300'799;  // 9999-12-31T23:59:59Z
constexpr int64_t kHorizonDays = kSearchHorizonYears / 400 * 146'097 + 3;

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::string quoteZone(const std::string& name) {
  std::string out = "'";
  for (size_t i = 0; i < name.size() && i < 60; ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (name.size() > 60) out += "...";
  return out + "'";
}

// A resolved zone. tz == nullptr is UTC, which needs no database.
struct Zone {
  const date::time_zone* tz = nullptr;

  // Offset (seconds) in force at UTC second t.
  int64_t offsetAt(int64_t t) const {
    if (tz == nullptr) return 0;
    return tz->get_info(date::sys_seconds{seconds{t}}).offset.count();
  }

  // The offset, if it is the same at every UTC second of [from, to].
  std::optional<int64_t> constantOffset(int64_t from, int64_t to) const {
    if (tz == nullptr) return 0;
    date::sys_info info = tz->get_info(date::sys_seconds{seconds{from}});
    if (info.end.time_since_epoch().count() <= to) return std::nullopt;
    return info.offset.count();
  }

  // The earliest instant at which local second L is, or would be, on the clock: its only or
  // first occurrence, or the end of the gap that skips it. Non-decreasing in L.
  int64_t earliest(int64_t local) const {
    if (tz == nullptr) return local;
    date::local_info li = tz->get_info(date::local_seconds{seconds{local}});
    if (li.result == date::local_info::nonexistent)
      return li.second.begin.time_since_epoch().count();
    return local - li.first.offset.count();
  }
};

Result<Zone> resolveZone(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Etc/UTC") return Zone{};
  // The host's own zone is not an IANA name and would differ between machines.
  if (name == "localtime") return Error::invalidArgument("unknown time zone 'localtime'");
  try {
    (void)date::get_tzdb();
  } catch (const std::exception& e) {
    return Error::internal(std::string("the time zone database could not be loaded: ") + e.what());
  }
  try {
    return Zone{date::locate_zone(name)};
  } catch (const std::exception&) {
    return Error::invalidArgument("unknown time zone " + quoteZone(name) +
                                  " (expected an IANA name such as 'Europe/Berlin' or 'UTC')");
  }
}

// The first due instant of local day `day` (days since 1970-01-01, local) strictly after
// `afterS`, if any. The day is known to match.
std::optional<int64_t> firstInDay(const CronExpression& cron, const Zone& zone, int64_t day,
                                  int64_t afterS) {
  const int64_t l0 = day * kDay;
  // Usual case: one offset all around the day, so local time maps 1:1 and in order.
  std::optional<int64_t> offset = zone.constantOffset(l0 - kMaxOffset, l0 + kDay + kMaxOffset);
  std::optional<int64_t> best;
  auto consider = [&](int64_t t) {
    if (t > afterS && (!best || t < *best)) best = t;
  };
  int firstHour = 0;
  if (offset) {  // skip the hours that are all before afterS
    const int64_t localAfter = afterS + *offset;
    if (localAfter >= l0 + kDay - 60) return std::nullopt;
    if (localAfter >= l0) firstHour = static_cast<int>((localAfter - l0) / 3'600);
  }
  for (int h = firstHour; h < 24; ++h) {
    if (!cron.hours[h]) continue;
    for (int m = 0; m < 60; ++m) {
      if (!cron.minutes[m]) continue;
      const int64_t local = l0 + h * 3'600 + m * 60;
      if (offset) {
        if (local - *offset > afterS) return local - *offset;
        continue;
      }
      date::local_info li = zone.tz->get_info(date::local_seconds{seconds{local}});
      switch (li.result) {
        case date::local_info::unique:
          consider(local - li.first.offset.count());
          break;
        case date::local_info::nonexistent:
          // Skipped by a spring-forward: a fixed-time job runs when the gap ends; a wildcard
          // job follows the real clock, on which this time never happens.
          if (!cron.minuteOrHourStar) consider(li.second.begin.time_since_epoch().count());
          break;
        case date::local_info::ambiguous:
          // Repeated by a fall-back: first occurrence; a wildcard job also the second.
          consider(local - li.first.offset.count());
          if (cron.minuteOrHourStar) consider(local - li.second.offset.count());
          break;
      }
    }
  }
  return best;
}

bool dayMatches(const CronExpression& cron, int64_t day) {
  date::sys_days d{date::days{day}};
  date::year_month_day ymd{d};
  return cron.matchesDay(static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                         date::weekday{d}.c_encoding());
}

Result<int64_t> search(const CronExpression& cron, const Zone& zone, int64_t afterMs) {
  const int64_t afterS = floorDiv(afterMs, 1000);  // t*1000 > afterMs  <=>  t > afterS
  const int64_t startDay = floorDiv(afterS + zone.offsetAt(afterS), kDay) - 1;
  std::optional<int64_t> best;
  for (int64_t day = startDay; day < startDay + kHorizonDays; ++day) {
    // Everything from this day on is at or after the day's earliest instant.
    if (best && zone.earliest(day * kDay) > *best) break;
    if (!dayMatches(cron, day)) continue;
    std::optional<int64_t> t = firstInDay(cron, zone, day, afterS);
    if (t && (!best || *t < *best)) best = t;
  }
  if (best) return *best * 1000;
  return Error::invalidArgument("cron expression '" + cron.source +
                                "' never fires (no matching time in " +
                                std::to_string(kSearchHorizonYears) + " years)");
}

}  // namespace

Status validateTimeZone(const std::string& timeZone) {
  auto zone = resolveZone(timeZone);
  if (!zone) return std::move(zone).takeError();
  return okStatus();
}

Result<int64_t> nextFireMs(const CronExpression& cron, const std::string& timeZone,
                           int64_t afterMs) {
  if (afterMs < kMinSeconds * 1000 || afterMs > kMaxSeconds * 1000) {
    return Error::invalidArgument("time " + std::to_string(afterMs) +
                                  " ms is outside the years 1900-9999");
  }
  auto zone = resolveZone(timeZone);
  if (!zone) return std::move(zone).takeError();
  try {
    return search(cron, *zone, afterMs);
  } catch (const std::exception& e) {
    return Error::internal("time zone " + quoteZone(timeZone) + ": " + e.what());
  }
}

}  // namespace parley::scheduler

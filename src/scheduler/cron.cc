#include "scheduler/cron.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace parley::scheduler {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const std::string_view* names;  // nullptr: numbers only
  size_t nameCount;
  int firstNameValue;  // value of names[0]
};

constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, nullptr, 0, 0},
    {"hour", 0, 23, nullptr, 0, 0},
    {"day-of-month", 1, 31, nullptr, 0, 0},
    {"month", 1, 12, kMonthNames.data(), kMonthNames.size(), 1},
    {"day-of-week", 0, 7, kDayNames.data(), kDayNames.size(), 0},
}};

struct Macro {
  std::string_view name;
  std::string_view expansion;
};

constexpr std::array<Macro, 7> kMacros = {{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char toUpper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Text of the input for an error message: unprintable bytes escaped, long text cut.
std::string quote(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (s.size() > kMax) out += "...";
  out += "'";
  return out;
}

std::vector<std::string_view> splitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && isSpace(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !isSpace(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

class FieldParser {
 public:
  explicit FieldParser(const FieldSpec& spec) : spec_(spec) {}

  // Parses one field into a bit set over [spec.min, spec.max]; nullopt with error() set on
  // failure.
  std::optional<uint64_t> parse(std::string_view field) {
    uint64_t bits = 0;
    size_t start = 0;
    while (true) {
      size_t comma = field.find(',', start);
      std::string_view element = field.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (element.empty()) return fail("empty list element in " + quote(field));
      if (!parseElement(element, bits)) return std::nullopt;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return bits;
  }

  const std::string& error() const { return error_; }

 private:
  std::nullopt_t fail(const std::string& problem) {
    error_ = std::string(spec_.name) + ": " + problem;
    return std::nullopt;
  }
  bool reject(const std::string& problem) {
    fail(problem);
    return false;
  }

  bool parseElement(std::string_view element, uint64_t& bits) {
    std::string_view base = element;
    int64_t step = 1;
    bool hasStep = false;
    if (size_t slash = element.find('/'); slash != std::string_view::npos) {
      base = element.substr(0, slash);
      std::string_view stepText = element.substr(slash + 1);
      if (stepText.empty()) return reject("missing step after '/' in " + quote(element));
      for (char c : stepText) {
        if (!isDigit(c)) return reject("step " + quote(stepText) + " is not a number");
      }
      step = parseDigits(stepText);
      if (step < 1) return reject("step must be at least 1 in " + quote(element));
      hasStep = true;
      if (base.empty()) return reject("missing value before '/' in " + quote(element));
    }

    int lo = 0;
    int hi = 0;
    if (base == "*") {
      lo = spec_.min;
      hi = spec_.max;
    } else if (size_t dash = base.find('-'); dash != std::string_view::npos) {
      auto first = value(base.substr(0, dash), element);
      if (!first) return false;
      auto last = value(base.substr(dash + 1), element);
      if (!last) return false;
      lo = *first;
      hi = *last;
      if (lo > hi)
        return reject("range " + quote(base) + " goes backwards (the first value must " +
                      "not be greater than the last)");
    } else {
      auto single = value(base, element);
      if (!single) return false;
      lo = *single;
      hi = hasStep ? spec_.max : *single;  // `a/n` = `a-max/n`
    }
    for (int64_t v = lo; v <= hi; v += step) bits |= uint64_t{1} << v;
    return true;
  }

  // A number or a name; the whole element is used in messages about missing values.
  std::optional<int> value(std::string_view text, std::string_view element) {
    if (text.empty()) return fail("missing value in " + quote(element));
    bool digits = true;
    bool letters = true;
    for (char c : text) {
      digits = digits && isDigit(c);
      letters = letters && isAlpha(c);
    }
    if (digits) {
      int64_t n = parseDigits(text);
      if (n < spec_.min || n > spec_.max) {
        std::string shown = text.size() > 12 ? quote(text) : std::string(text);
        return fail(shown + " is out of range " + std::to_string(spec_.min) + "-" +
                    std::to_string(spec_.max));
      }
      return static_cast<int>(n);
    }
    if (letters) {
      if (spec_.names == nullptr) {
        return fail("unexpected name " + quote(text) +
                    " (names are allowed in month and day-of-week only)");
      }
      if (text.size() == 3) {
        for (size_t i = 0; i < spec_.nameCount; ++i) {
          std::string_view name = spec_.names[i];
          if (toUpper(text[0]) == name[0] && toUpper(text[1]) == name[1] &&
              toUpper(text[2]) == name[2]) {
            return spec_.firstNameValue + static_cast<int>(i);
          }
        }
      }
      return fail("unknown name " + quote(text));
    }
    for (char c : text) {
      if (!isDigit(c) && !isAlpha(c)) {
        return fail("unexpected character " + quote(std::string_view(&c, 1)) + " in " +
                    quote(element));
      }
    }
    return fail("mixed letters and digits in " + quote(text));
  }

  // Digits to a number, saturating: anything past 9 digits is "huge", which is all callers
  // need (out of range, or a step longer than any field).
  static int64_t parseDigits(std::string_view digits) {
    int64_t n = 0;
    for (char c : digits) {
      n = n * 10 + (c - '0');
      if (n > 999'999'999) return 1'000'000'000;
    }
    return n;
  }

  const FieldSpec& spec_;
  std::string error_;
};

Result<CronExpression> parseFields(const std::vector<std::string_view>& fields,
                                   std::string source) {
  if (fields.size() != kFields.size()) {
    return Error::invalidArgument("expected 5 fields, got " + std::to_string(fields.size()));
  }
  std::array<uint64_t, 5> bits{};
  for (size_t i = 0; i < kFields.size(); ++i) {
    FieldParser parser(kFields[i]);
    auto parsed = parser.parse(fields[i]);
    if (!parsed) return Error::invalidArgument(parser.error());
    bits[i] = *parsed;
  }
  CronExpression cron;
  cron.minutes = std::bitset<60>(bits[0]);
  cron.hours = std::bitset<24>(bits[1]);
  cron.daysOfMonth = std::bitset<32>(bits[2]);
  cron.months = std::bitset<13>(bits[3]);
  uint64_t dow = bits[4];
  if (dow & (uint64_t{1} << 7)) dow |= 1;  // 7 is Sunday too
  cron.daysOfWeek = std::bitset<7>(dow & 0x7f);
  cron.minuteOrHourStar = fields[0][0] == '*' || fields[1][0] == '*';
  cron.dayOfMonthStar = fields[2][0] == '*';
  cron.dayOfWeekStar = fields[4][0] == '*';
  cron.source = std::move(source);
  return cron;
}

}  // namespace

bool CronExpression::matchesDay(unsigned month, unsigned dayOfMonth, unsigned dayOfWeek) const {
  if (month > 12 || dayOfMonth > 31 || dayOfWeek > 6 || !months[month]) return false;
  bool dom = daysOfMonth[dayOfMonth];
  bool dow = daysOfWeek[dayOfWeek];
  if (dayOfMonthStar || dayOfWeekStar) return dom && dow;
  return dom || dow;
}

bool CronExpression::sameSchedule(const CronExpression& other) const {
  return minutes == other.minutes && hours == other.hours && daysOfMonth == other.daysOfMonth &&
         months == other.months && daysOfWeek == other.daysOfWeek &&
         dayOfMonthStar == other.dayOfMonthStar && dayOfWeekStar == other.dayOfWeekStar &&
         minuteOrHourStar == other.minuteOrHourStar;
}

Result<CronExpression> parseCron(std::string_view text) {
  std::vector<std::string_view> fields = splitFields(text);
  std::string source;
  for (const auto& f : fields) {
    if (!source.empty()) source += ' ';
    source += f;
  }
  if (!fields.empty() && fields[0][0] == '@') {
    std::string name;
    for (char c : fields[0]) name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (name == "@reboot") {
      return Error::invalidArgument(
          "@reboot is not supported: a schedule fires at times of day, not when the server "
          "starts");
    }
    for (const Macro& macro : kMacros) {
      if (name != macro.name) continue;
      if (fields.size() > 1) {
        return Error::invalidArgument(std::string(macro.name) + " stands alone: unexpected " +
                                      quote(fields[1]) + " after it");
      }
      return parseFields(splitFields(macro.expansion), std::move(source));
    }
    return Error::invalidArgument("unknown macro " + quote(fields[0]) +
                                  " (expected @yearly, @annually, @monthly, @weekly, @daily, "
                                  "@midnight or @hourly)");
  }
  return parseFields(fields, std::move(source));
}

}  // namespace parley::scheduler

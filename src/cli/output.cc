#include "cli/output.h"

#include <algorithm>

namespace parley::cli {

namespace {

using nlohmann::json;

json field(const json& row, const std::string& key) {
  const json* cur = &row;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
    if (dot == std::string::npos) return *cur;
    start = dot + 1;
  }
}

std::string cell(const json& row, const Column& c) {
  return c.compute ? c.compute(row) : cellText(field(row, c.key));
}

// Display width of UTF-8 text (counts code points, which is right for the text we print).
size_t width(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(),
                                           [](char ch) { return (ch & 0xC0) != 0x80; }));
}

std::string oneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

}  // namespace

std::string cellText(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); })) {
    std::string out;
    for (const json& x : v) out += (out.empty() ? "" : ",") + x.get<std::string>();
    return out;
  }
  return v.dump();
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void printRows(std::ostream& out, const std::string& format, const json& rows,
               std::vector<Column> columns) {
  if (format == "json") {
    out << rows.dump(2) << "\n";
    return;
  }
  if (columns.empty()) {  // every scalar field, in first-seen order
    for (const json& r : rows) {
      if (!r.is_object()) continue;
      for (auto& [k, v] : r.items()) {
        if (v.is_structured() && !v.is_array()) continue;
        if (std::none_of(columns.begin(), columns.end(), [&](const Column& c) { return c.key == k; })) {
          columns.push_back({k, k});
        }
      }
    }
  }
  std::vector<std::vector<std::string>> table;
  for (const json& r : rows) {
    std::vector<std::string> line;
    for (const Column& c : columns) line.push_back(cell(r, c));
    table.push_back(std::move(line));
  }
  if (format == "csv") {
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << csvField(columns[i].header);
    out << "\n";
    for (const auto& line : table) {
      for (size_t i = 0; i < line.size(); ++i) out << (i ? "," : "") << csvField(line[i]);
      out << "\n";
    }
    return;
  }
  std::vector<size_t> widths;
  for (const Column& c : columns) widths.push_back(width(c.header));
  for (auto& line : table) {
    for (size_t i = 0; i < line.size(); ++i) {
      line[i] = oneLine(line[i]);
      widths[i] = std::max(widths[i], width(line[i]));
    }
  }
  auto printLine = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      out << cells[i];
      if (i + 1 < cells.size()) out << std::string(widths[i] - width(cells[i]) + 2, ' ');
    }
    out << "\n";
  };
  std::vector<std::string> headers;
  for (const Column& c : columns) {
    std::string h = c.header;
    std::transform(h.begin(), h.end(), h.begin(), ::toupper);
    headers.push_back(h);
  }
  printLine(headers);
  for (const auto& line : table) printLine(line);
}

void printObject(std::ostream& out, const std::string& format, const json& object) {
  if (format == "json" || !object.is_object()) {
    out << object.dump(2) << "\n";
    return;
  }
  if (format == "csv") {
    printRows(out, format, json::array({object}));
    return;
  }
  size_t w = 0;
  for (auto& [k, v] : object.items()) w = std::max(w, k.size());
  for (auto& [k, v] : object.items()) {
    out << k << ":" << std::string(w - k.size() + 1, ' ') << oneLine(cellText(v)) << "\n";
  }
}

}  // namespace parley::cli

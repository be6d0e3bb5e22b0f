// How the CLI prints lists and objects: an aligned table (default), JSON or CSV (-o).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace parley::cli {

struct Column {
  std::string header;
  std::string key;  // a field of the row ("a.b" reaches into objects); see cell()
  // Optional: computes the cell from the row instead of `key`.
  std::function<std::string(const nlohmann::json&)> compute = nullptr;
};

// The text of a JSON value in a cell: strings as they are, null as "-", others as JSON.
std::string cellText(const nlohmann::json& v);

// Prints `rows` (a JSON array of objects) as `format` ("table", "json" or "csv"). JSON prints
// the rows as the server gave them; table and CSV print `columns` (every scalar field of the
// rows when `columns` is empty).
void printRows(std::ostream& out, const std::string& format, const nlohmann::json& rows,
               std::vector<Column> columns = {});

// Prints one object: JSON as it is, table as "key: value" lines, CSV as a one-row table.
void printObject(std::ostream& out, const std::string& format, const nlohmann::json& object);

std::string csvField(const std::string& text);

}  // namespace parley::cli

#include "cli/common.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace parley::cli {

void runGuarded(const std::string& command, int& exitCode, const std::function<int()>& body) {
  try {
    exitCode = body();
  } catch (const CliError& e) {
    std::cerr << "parley " << command << ": " << e.what() << "\n";
    exitCode = e.exitCode();
  }
}

int forEachItem(const std::vector<std::string>& items,
                const std::function<void(const std::string&)>& each) {
  int failures = 0;
  for (const std::string& item : items) {
    try {
      each(item);
    } catch (const std::exception& e) {
      std::cerr << item << ": " << e.what() << "\n";
      ++failures;
    }
  }
  return failures ? kExitFailure : 0;
}

std::string readFileOrThrow(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usageError("cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json parseJsonArg(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw usageError(what + " is not valid JSON: " + e.what());
  }
}

nlohmann::json payloadArg(const std::string& payload, const std::string& payloadFile,
                          const nlohmann::json& fallback, const std::string& option) {
  if (!payload.empty() && !payloadFile.empty()) {
    throw usageError("give " + option + " or " + option + "-file, not both");
  }
  if (!payload.empty()) return parseJsonArg(payload, option);
  if (!payloadFile.empty()) return parseJsonArg(readFileOrThrow(payloadFile), payloadFile);
  return fallback;
}

std::vector<std::string> splitList(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

}  // namespace parley::cli

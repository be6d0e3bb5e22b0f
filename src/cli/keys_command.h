// `parley keys rotate`: a new master key for a data directory (vault/key_rotation.h).
#pragma once

#include <CLI/CLI.hpp>

namespace parley::cli {

void addKeysCommand(CLI::App& app, int& exitCode);

}  // namespace parley::cli

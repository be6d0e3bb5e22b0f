// `parley keys rotate [--data-dir DIR] [--print-new-key]`
//
// With the key in <data-dir>/master.key: rotates it in place (vault/key_rotation.h); a server
// running on the directory keeps working and picks the new key up by itself (SIGHUP makes it
// re-wrap at once). With PARLEY_MASTER_KEY set there is no file to replace: the command refuses
// unless --print-new-key is given, then prints the new key once on stdout (before changing
// anything) and re-wraps; every server must then be restarted with PARLEY_MASTER_KEY set to it.
// Exit codes: 0 done, 1 failed (nothing or only part done; run it again), 2 usage.
#include "cli/keys_command.h"

#include <cstdlib>
#include <iostream>

#include "base/clock.h"
#include "store/sqlite_store.h"
#include "vault/key_rotation.h"

namespace parley::cli {

namespace {

struct KeysOptions {
  std::string dataDir = "./data";
  bool printNewKey = false;
};

int rotate(const KeysOptions& o) {
  auto store = store::openSqliteStore(o.dataDir + "/parley.db", SystemClock::instance());
  if (!store.ok()) {
    std::cerr << "parley keys rotate: " << store.error().message() << "\n";
    return 1;
  }
  const char* env = std::getenv(vault::kMasterKeyEnvVar);
  if (env != nullptr) {
    if (!o.printNewKey) {
      std::cerr << "parley keys rotate: the master key comes from " << vault::kMasterKeyEnvVar
                << ", which this command cannot change. Run it again with --print-new-key: it "
                   "prints the new key once, then re-wraps the data keys; restart every server "
                   "with "
                << vault::kMasterKeyEnvVar << " set to the printed key.\n";
      return 2;
    }
    auto report = vault::rotateMasterKeyFromEnvironment(
        (*store)->dataKeys(), env, [](const std::string& key) {
          std::cout << key << "\n" << std::flush;
          std::cerr << "parley keys rotate: the line above is the new master key (shown once); "
                       "keep it before anything else\n";
        });
    if (!report.ok()) {
      std::cerr << "parley keys rotate: " << report.error().message()
                << " (the printed key was not applied; the old key still works)\n";
      return 1;
    }
    std::cerr << "parley keys rotate: " << report->dataKeys << " data keys now wrapped by master key "
              << report->newKeyId << " (was " << report->oldKeyId << "); restart the servers with "
              << vault::kMasterKeyEnvVar << " set to the new key\n";
    return 0;
  }
  std::string keyFile = o.dataDir + "/master.key";
  auto report = vault::rotateMasterKeyFile((*store)->dataKeys(), keyFile);
  if (!report.ok()) {
    std::cerr << "parley keys rotate: " << report.error().message() << "\n";
    return 1;
  }
  std::cout << (report->resumed ? "Finished an interrupted rotation: " : "Rotated: ")
            << report->dataKeys << " data keys now wrapped by master key " << report->newKeyId
            << " (was " << report->oldKeyId << "), in " << keyFile
            << ". A running server picks it up by itself (SIGHUP re-wraps at once).\n";
  return 0;
}

}  // namespace

void addKeysCommand(CLI::App& app, int& exitCode) {
  CLI::App* keys = app.add_subcommand("keys", "Manage the master key");
  keys->require_subcommand(1);
  auto options = std::make_shared<KeysOptions>();
  CLI::App* rotateCmd = keys->add_subcommand(
      "rotate", "Make a new master key and re-wrap every account's data keys under it");
  rotateCmd->add_option("--data-dir", options->dataDir, "The server's data directory")
      ->capture_default_str();
  rotateCmd->add_flag("--print-new-key", options->printNewKey,
                      "With PARLEY_MASTER_KEY: print the new key (once) and rotate");
  rotateCmd->callback([options, &exitCode] { exitCode = rotate(*options); });
}

}  // namespace parley::cli

// Shared pieces of the `parley` CLI commands: the global options, the error a person can act
// on, and the wrapper that turns it into a message and an exit status (0 success, 1 failure,
// 2 usage).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::cli {

inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// A failure with a message meant for the person at the terminal.
class CliError : public std::runtime_error {
 public:
  explicit CliError(const std::string& message, int exitCode = kExitFailure)
      : std::runtime_error(message), exitCode_(exitCode) {}
  int exitCode() const { return exitCode_; }

 private:
  int exitCode_;
};

inline CliError usageError(const std::string& message) { return CliError(message, kExitUsage); }

// Options every command takes (on the top-level app; CLI11 falls through to it).
struct Globals {
  std::string server;   // --server / PARLEY_SERVER; empty: the last login's, else the default
  std::string account;  // --account / PARLEY_ACCOUNT; empty: the login's account
  std::string output = "table";  // -o table|json|csv
};

inline constexpr const char* kDefaultServer = "http://127.0.0.1:8080";

// Runs `body` and sets `exitCode` to what it returns, or prints a CliError ("parley <command>:
// <message>") to stderr and sets its exit status.
void runGuarded(const std::string& command, int& exitCode, const std::function<int()>& body);

// Runs `each` for every item; an error (a CliError, or any other exception) is printed as
// "<item>: <message>" and the others still run. Returns 0 when all succeeded, else kExitFailure.
int forEachItem(const std::vector<std::string>& items,
                const std::function<void(const std::string&)>& each);

// Everything a command group needs to register itself.
struct CommandContext {
  CLI::App& app;
  Globals& globals;
  int& exitCode;
};

void addAuthCommands(CommandContext& c);      // login, logout
void addProjectCommands(CommandContext& c);   // init, create, pull, push
void addDeployCommands(CommandContext& c);    // deploy, undeploy, delete
void addInvokeCommands(CommandContext& c);    // invoke [--local], test
void addObserveCommands(CommandContext& c);   // logs, metrics
void addGetCommands(CommandContext& c);       // get …
void addAccountCommands(CommandContext& c);   // secrets, domains, clients, events publish
void addCompletionCommand(CommandContext& c); // completion bash|zsh

// Reads a whole file; throws CliError (usage) when it cannot.
std::string readFileOrThrow(const std::string& path);
// Parses JSON text given for `what` (an option name); throws a usage CliError naming it.
nlohmann::json parseJsonArg(const std::string& text, const std::string& what);
// The payload of --payload JSON or --payload-file F (at most one); `fallback` when neither.
// `option` names the options in messages ("--data" for --data / --data-file).
nlohmann::json payloadArg(const std::string& payload, const std::string& payloadFile,
                          const nlohmann::json& fallback, const std::string& option = "--payload");
std::vector<std::string> splitList(const std::string& text, char sep = ',');

}  // namespace parley::cli

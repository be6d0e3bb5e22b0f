// Test helper: the threads of a process (by /proc), to check names and scheduling policies.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace parley::testing {

struct ThreadInfo {
  pid_t tid;
  std::string name;  // comm: at most 15 characters
};

// Every thread of `pid` (0: this process), as /proc lists them now.
inline std::vector<ThreadInfo> threadsOf(pid_t pid = 0) {
  std::filesystem::path dir =
      pid == 0 ? std::filesystem::path("/proc/self/task")
               : std::filesystem::path("/proc") / std::to_string(pid) / "task";
  std::vector<ThreadInfo> out;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(dir, ec)) {
    std::ifstream commFile(task.path() / "comm");
    std::string comm;
    if (!std::getline(commFile, comm)) continue;  // the thread ended meanwhile
    out.push_back({static_cast<pid_t>(std::stoi(task.path().filename().string())), comm});
  }
  return out;
}

// The child processes of this process (every thread's children).
inline std::vector<pid_t> childProcesses() {
  std::vector<pid_t> out;
  for (const ThreadInfo& t : threadsOf()) {
    std::ifstream children("/proc/self/task/" + std::to_string(t.tid) + "/children");
    pid_t pid;
    while (children >> pid) out.push_back(pid);
  }
  return out;
}

}  // namespace parley::testing

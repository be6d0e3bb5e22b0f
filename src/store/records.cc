#include "store/records.h"

#include <array>
#include <utility>

namespace parley::store {
namespace {

constexpr std::array<std::pair<Role, const char*>, 4> kRoles = {{
    {Role::kAdmin, "Admin"},
    {Role::kDeveloper, "Developer"},
    {Role::kInvoker, "Invoker"},
    {Role::kViewer, "Viewer"},
}};

constexpr std::array<std::pair<FunctionState, const char*>, 6> kStates = {{
    {FunctionState::kDraft, "Draft"},
    {FunctionState::kProductive, "Productive"},
    {FunctionState::kModified, "Modified"},
    {FunctionState::kUndeployed, "Undeployed"},
    {FunctionState::kBuildError, "Build Error"},
    {FunctionState::kDeployError, "Deploy Error"},
}};

}  // namespace

const char* roleName(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) return name;
  }
  return "Viewer";  // unreachable for valid enum values
}

std::optional<Role> roleFromName(const std::string& s) {
  for (const auto& [role, name] : kRoles) {
    if (s == name) return role;
  }
  return std::nullopt;
}

const char* functionStateName(FunctionState s) {
  for (const auto& [state, name] : kStates) {
    if (state == s) return name;
  }
  return "Draft";  // unreachable for valid enum values
}

std::optional<FunctionState> functionStateFromName(const std::string& s) {
  for (const auto& [state, name] : kStates) {
    if (s == name) return state;
  }
  return std::nullopt;
}

}  // namespace parley::store

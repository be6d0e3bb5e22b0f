#include "runtime/platform_env.h"

namespace parley::runtime {

const std::vector<std::string>& platformVariableNames() {
  static const std::vector<std::string> names = {
      "PARLEY_ACCOUNT_ID", "PARLEY_FUNCTION_UUID", "BRAND_ID",
      "LAMBDA_UUID",       "X_LIVEPERSON_BRAND_ID", "X_LIVEPERSON_FUNCTION_UUID"};
  return names;
}

std::map<std::string, std::string> platformEnvironment(const std::string& accountId,
                                                       const std::string& functionUuid) {
  return {{"PARLEY_ACCOUNT_ID", accountId},   {"PARLEY_FUNCTION_UUID", functionUuid},
          {"BRAND_ID", accountId},            {"LAMBDA_UUID", functionUuid},
          {"X_LIVEPERSON_BRAND_ID", accountId}, {"X_LIVEPERSON_FUNCTION_UUID", functionUuid}};
}

}  // namespace parley::runtime

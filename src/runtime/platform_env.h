// The variables the platform sets in every function's process.env (SPEC §1): Parley's names
// and LivePerson's, so code written for either reads its account and function id unchanged.
// A function's own environment may not define them.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace parley::runtime {

const std::vector<std::string>& platformVariableNames();
std::map<std::string, std::string> platformEnvironment(const std::string& accountId,
                                                       const std::string& functionUuid);

}  // namespace parley::runtime

#include <map>
#include <string>

#include "runtime/embedded_js.h"

namespace parley::runtime {

const EmbeddedScript* findEmbeddedScript(std::string_view name) {
  static const auto* index = [] {
    auto* m = new std::map<std::string_view, const EmbeddedScript*>();
    for (size_t i = 0; i < kEmbeddedScriptCount; ++i) {
      (*m)[kEmbeddedScripts[i].name] = &kEmbeddedScripts[i];
    }
    return m;
  }();
  auto it = index->find(name);
  return it == index->end() ? nullptr : it->second;
}

}  // namespace parley::runtime

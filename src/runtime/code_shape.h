// Static look at a function's source, before V8 sees it: is it an ES module, and does it declare
// a binding named `lambda`? Heuristics only; the loader falls back when V8 disagrees.
#pragma once

#include <string_view>

namespace parley::runtime {

// True when a line starts with an `import` or `export` declaration (not `import(`).
bool looksLikeEsModule(std::string_view code);
// True when the code declares `lambda` with function/const/let/var/class.
bool declaresLambda(std::string_view code);

}  // namespace parley::runtime

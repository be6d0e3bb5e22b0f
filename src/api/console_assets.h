// The web console's built files, embedded into the binary at build time (console/embed.mjs
// generates the table from Vite's output). Immutable, static data.
#pragma once

#include <cstddef>

namespace parley::api {

struct ConsoleAsset {
  const char* path;         // URL path: "/index.html", "/assets/index-3f2a9c.js"
  const char* contentType;  // with charset for text types
  const char* data;
  std::size_t size;
  const char* gzip;         // the same bytes gzip-compressed, or nullptr when that is no smaller
  std::size_t gzipSize;
  const char* etag;         // strong ETag (quoted) of the uncompressed bytes
  bool hashed;              // named by content hash (under /assets/): cacheable forever
};

extern const ConsoleAsset kConsoleAssets[];
extern const std::size_t kConsoleAssetCount;

}  // namespace parley::api

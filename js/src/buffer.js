'use strict';
// Node's `buffer` module: feross/buffer, plus the few exports it lacks that Node has.

const buffer = require('buffer/'); // trailing slash: the npm package, bundled (see build.mjs)

// V8's maximum string length on 64-bit targets (String::kMaxLength = 2**29 - 24).
const kStringMaxLength = 0x1fffffe8;

module.exports = Object.assign({}, buffer, {
  kStringMaxLength,
  constants: Object.freeze({ MAX_LENGTH: buffer.kMaxLength, MAX_STRING_LENGTH: kStringMaxLength }),
  // Node re-exports the global base64 helpers here; the runtime provides them as globals.
  atob: (data) => globalThis.atob(data),
  btoa: (data) => globalThis.btoa(data),
});

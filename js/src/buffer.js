'use strict';
// Node's `buffer` module: feross/buffer, plus what it lacks that Node has: the 'base64url'
// encoding (Node ≥ 15.7; LivePerson V2 runs Node 22), constants, atob/btoa.

const buffer = require('buffer/'); // trailing slash: the npm package, bundled (see build.mjs)
const { Buffer } = buffer;

// V8's maximum string length on 64-bit targets (String::kMaxLength = 2**29 - 24).
const kStringMaxLength = 0x1fffffe8;

// 'base64url' rides on feross's base64: translate the alphabet on the way in and out.
const isBase64url = (encoding) => typeof encoding === 'string' && encoding.toLowerCase() === 'base64url';
const toBase64 = (s) => String(s).replace(/-/g, '+').replace(/_/g, '/');
const toBase64url = (s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const from = Buffer.from;
Buffer.from = function (value, encodingOrOffset, length) {
  if (typeof value === 'string' && isBase64url(encodingOrOffset)) {
    return from.call(this, toBase64(value), 'base64');
  }
  return from.call(this, value, encodingOrOffset, length);
};
const isEncoding = Buffer.isEncoding;
Buffer.isEncoding = (encoding) => isBase64url(encoding) || isEncoding(encoding);
const byteLength = Buffer.byteLength;
Buffer.byteLength = function (string, encoding) {
  if (typeof string === 'string' && isBase64url(encoding)) return byteLength(toBase64(string), 'base64');
  return byteLength(string, encoding);
};
const toString = Buffer.prototype.toString;
Buffer.prototype.toString = function (encoding, start, end) {
  if (isBase64url(encoding)) return toBase64url(toString.call(this, 'base64', start, end));
  return toString.apply(this, arguments);
};
const write = Buffer.prototype.write;
Buffer.prototype.write = function (string, offset, length, encoding) {
  // write(string, encoding) / write(string, offset, encoding) / write(string, offset, length, encoding)
  const args = Array.from(arguments);
  const at = args.findIndex((a, i) => i > 0 && isBase64url(a));
  if (at > 0) {
    args[0] = toBase64(string);
    args[at] = 'base64';
  }
  return write.apply(this, args);
};

module.exports = Object.assign({}, buffer, {
  kStringMaxLength,
  constants: Object.freeze({ MAX_LENGTH: buffer.kMaxLength, MAX_STRING_LENGTH: kStringMaxLength }),
  // Node re-exports the global base64 helpers here; the runtime provides them as globals.
  atob: (data) => globalThis.atob(data),
  btoa: (data) => globalThis.btoa(data),
});

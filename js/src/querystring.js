'use strict';
// Node's `querystring` module: querystring-es3 (a copy of Node's old implementation) plus
// escape/unescape, which Node exports but that copy does not.

const qs = require('querystring-es3');

function escape(str) {
  return encodeURIComponent(str);
}

// Node's unescape never throws on malformed input: it decodes what it can. decodeURIComponent
// throws on a bad sequence, so fall back to decoding each run of %XX escapes on its own.
function unescape(str) {
  try {
    return decodeURIComponent(str);
  } catch (_) {
    return String(str).replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch (_) {
        return run;
      }
    });
  }
}

module.exports = {
  decode: qs.decode,
  parse: qs.parse,
  encode: qs.encode,
  stringify: qs.stringify,
  escape,
  unescape,
};

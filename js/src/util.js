'use strict';
// Node's `util` module: browserify's `util` (format, inspect, inherits, deprecate, types, ...)
// plus what that package lacks and is cheap to provide.

const base = require('util/'); // trailing slash: the npm package, bundled (see build.mjs)
const isDeepStrictEqual = require('./deep-strict-equal.js');

// Node's well-known symbols are registered (Symbol.for), so code that sets
// fn[Symbol.for('nodejs.util.promisify.custom')] without importing util is honoured too.
// browserify util uses a private Symbol instead; accept both.
const kPromisifyCustom = Symbol.for('nodejs.util.promisify.custom');
const kInspectCustom = Symbol.for('nodejs.util.inspect.custom');

function promisify(original) {
  if (typeof original === 'function' && typeof original[kPromisifyCustom] === 'function') {
    return original[kPromisifyCustom];
  }
  return base.promisify(original);
}
promisify.custom = kPromisifyCustom;

// browserify util's inspect only knows the legacy `value.inspect()` hook. Honour Node's
// inspect.custom symbol for the value passed in (nested values still use the legacy hook).
function inspect(value, opts) {
  if (value !== null && (typeof value === 'object' || typeof value === 'function') &&
      typeof value[kInspectCustom] === 'function') {
    const options = Object.assign({ depth: 2 }, typeof opts === 'object' ? opts : {});
    const result = value[kInspectCustom](options.depth, options, inspect);
    return typeof result === 'string' ? result : base.inspect(result, opts);
  }
  return base.inspect.apply(this, arguments);
}
inspect.custom = kInspectCustom;
inspect.colors = base.inspect.colors;
inspect.styles = base.inspect.styles;
inspect.defaultOptions = { depth: 2, colors: false, showHidden: false, customInspect: true };

// ANSI escape sequences, as matched by Node's stripVTControlCharacters.
const ansi = new RegExp('[\\u001B\\u009B][[\\]()#;?]*' +
  '(?:(?:(?:(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]+)*' +
  '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]*)*)?\\u0007)' +
  '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PR-TZcf-ntqry=><~]))', 'g');

module.exports = Object.assign({}, base, {
  promisify,
  inspect,
  isDeepStrictEqual,
  // The inspect options are not applied to %o/%O and objects (browserify util has no such hook).
  formatWithOptions: (inspectOptions, ...args) => base.format(...args),
  stripVTControlCharacters: (str) => String(str).replace(ansi, ''),
  // Lone surrogates become U+FFFD (String.prototype.toWellFormed is newer than V8 10.2).
  toUSVString: (str) =>
    String(str).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  // The runtime provides these as globals; Node also exports them from util.
  TextEncoder: globalThis.TextEncoder,
  TextDecoder: globalThis.TextDecoder,
});

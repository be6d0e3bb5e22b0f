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

// Node's format(): %s %d %i %f %j %o %O %c %% (browserify util knows only %s %d %j %%).
function formatValue(value, inspectOptions) {
  return typeof value === 'string' ? value : inspect(value, inspectOptions);
}

function formatWithOptions(inspectOptions, ...args) {
  const first = args[0];
  if (typeof first !== 'string') return args.map((a) => formatValue(a, inspectOptions)).join(' ');
  let out = '';
  let next = 1;
  let last = 0;
  for (let i = 0; i < first.length - 1; i++) {
    if (first.charCodeAt(i) !== 37) continue;  // '%'
    const c = first[i + 1];
    if (c === '%') {
      out += first.slice(last, i) + '%';
      last = i + 2;
      i++;
      continue;
    }
    if (next >= args.length || !'sdifjoOc'.includes(c)) continue;
    const a = args[next];
    let piece;
    switch (c) {
      case 's':
        if (typeof a === 'bigint') piece = `${a}n`;
        else if (typeof a === 'symbol') piece = a.toString();
        else if (a !== null && typeof a === 'object') {
          const own = typeof a.toString === 'function' && a.toString !== Object.prototype.toString &&
            !(a instanceof Error) && !Array.isArray(a);
          piece = own ? String(a) : inspect(a, Object.assign({ depth: 0 }, inspectOptions));
        } else piece = String(a);
        break;
      case 'd':
        piece = typeof a === 'bigint' ? `${a}n` : typeof a === 'symbol' ? 'NaN' : `${Number(a)}`;
        break;
      case 'i':
        piece = typeof a === 'bigint' ? `${a}n` : typeof a === 'symbol' ? 'NaN' : `${parseInt(a)}`;
        break;
      case 'f':
        piece = typeof a === 'symbol' ? 'NaN' : `${parseFloat(a)}`;
        break;
      case 'j':
        try {
          piece = JSON.stringify(a);
        } catch (e) {
          piece = '[Circular]';
        }
        break;
      case 'o':
        piece = inspect(a, Object.assign({ showHidden: true, depth: 4 }, inspectOptions));
        break;
      case 'O':
        piece = inspect(a, inspectOptions);
        break;
      case 'c':
        piece = '';
        break;
    }
    out += first.slice(last, i) + piece;
    last = i + 2;
    next++;
    i++;
  }
  out += first.slice(last);
  for (; next < args.length; next++) out += ' ' + formatValue(args[next], inspectOptions);
  return out;
}

module.exports = Object.assign({}, base, {
  format: (...args) => formatWithOptions(undefined, ...args),
  promisify,
  inspect,
  isDeepStrictEqual,
  formatWithOptions,
  stripVTControlCharacters: (str) => String(str).replace(ansi, ''),
  // Lone surrogates become U+FFFD (String.prototype.toWellFormed is newer than V8 10.2).
  toUSVString: (str) =>
    String(str).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  // The runtime provides these as globals; Node also exports them from util.
  TextEncoder: globalThis.TextEncoder,
  TextDecoder: globalThis.TextDecoder,
});

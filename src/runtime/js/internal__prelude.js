// Parley runtime prelude. Runs once in every new context, before the function's code.
//
// Compiled as the body of `function (native, global)`: `native` holds the C++ bindings (see
// src/runtime/bindings/*.cc) and is reachable only from this closure, never from user code.
// Returns the hooks the C++ side calls: runInvocation, fireTimer, require, loadUserModule.
'use strict';

const {
  defineProperty, freeze, keys: objectKeys,
} = Object;

// ---------------------------------------------------------------------------------------------
// Logging. LivePerson's shape: the first argument is the message, the rest are "extras".
const LEVEL_DEBUG = 0, LEVEL_INFO = 1, LEVEL_WARN = 2, LEVEL_ERROR = 3;

// An Error's stack as the function's author should see it: without the runtime's own frames
// (the invocation's error stack is filtered the same way, in C++).
function userStack(e) {
  let stack;
  try { stack = e.stack; } catch (_) { return undefined; }
  if (typeof stack !== 'string') return stack;
  return stack.split('\n').filter((line) => !line.includes('parley:internal/')).join('\n');
}

function describeForLog(v) {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function') return `[Function: ${v.name || 'anonymous'}]`;
  if (typeof v === 'symbol') return v.toString();
  if (v instanceof Error) {
    return { name: v.name, message: v.message, stack: userStack(v) };
  }
  return v;
}

// JSON with the values JSON cannot hold described (see describeForLog). Only a real cycle (an
// object inside itself) becomes "[Circular]"; the same object met twice side by side is written
// twice. `this` in the replacer is the object holding the value, so the chain of objects being
// written is `ancestors` trimmed back to the holder.
function safeStringify(value) {
  const ancestors = [];
  try {
    return JSON.stringify(value, function (k, v) {
      v = describeForLog(v);
      if (v === null || typeof v !== 'object') return v;
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (ancestors.includes(v)) return '[Circular]';
      ancestors.push(v);
      return v;
    });
  } catch (e) {
    return JSON.stringify(String(e && e.message));
  }
}

function messageOf(v) {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  if (v instanceof Error) return userStack(v) || String(v);
  if (v !== null && typeof v === 'object') return safeStringify(v);
  return String(v);
}

function makeLogger(level) {
  return function log(...args) {
    const message = args.length ? messageOf(args[0]) : '';
    const extras = args.length > 1 ? safeStringify(args.slice(1)) : '[]';
    native.log(level, message, extras);
  };
}

const consoleObject = {
  debug: makeLogger(LEVEL_DEBUG),
  trace: makeLogger(LEVEL_DEBUG),
  info: makeLogger(LEVEL_INFO),
  log: makeLogger(LEVEL_INFO),
  warn: makeLogger(LEVEL_WARN),
  error: makeLogger(LEVEL_ERROR),
  dir: makeLogger(LEVEL_INFO),
  table: makeLogger(LEVEL_INFO),
  assert(cond, ...args) {
    if (!cond) consoleObject.error('Assertion failed' + (args.length ? ': ' + messageOf(args[0]) : ''), ...args.slice(1));
  },
  time() {}, timeEnd() {}, timeLog() {}, group() {}, groupEnd() {}, count() {}, countReset() {},
};

// ---------------------------------------------------------------------------------------------
// Timers. The C++ side keeps the schedule (and cancels an invocation's timers when it ends);
// here we keep the callbacks.
const timers = new Map();

class Timeout {
  constructor(id, repeat) { this._id = id; this._repeat = repeat; }
  ref() { return this; }
  unref() { return this; }
  hasRef() { return true; }
  refresh() { return this; }
  [Symbol.toPrimitive]() { return this._id; }
}
class Immediate extends Timeout {}

function toDelay(ms) {
  ms = Number(ms);
  return ms >= 1 && ms <= 2147483647 ? Math.floor(ms) : (ms > 2147483647 ? 1 : 0);
}

function startTimer(Kind, fn, delay, repeat, args) {
  if (typeof fn !== 'function') {
    throw new TypeError('The "callback" argument must be of type function. Received ' + typeof fn);
  }
  const id = native.timerStart(delay, repeat);
  const handle = new Kind(id, repeat);
  timers.set(id, { fn, args, handle });
  return handle;
}

function clearTimer(handle) {
  if (handle == null) return;
  const id = typeof handle === 'object' ? handle._id : Number(handle);
  if (timers.delete(id)) native.timerClear(id);
}

function forgetTimers(ids) {
  for (const id of ids) timers.delete(id);
}

function fireTimer(id, last) {
  const t = timers.get(id);
  if (!t) return;
  if (last) timers.delete(id);
  Reflect.apply(t.fn, undefined, t.args);
}

const timerGlobals = {
  setTimeout: (fn, ms, ...args) => startTimer(Timeout, fn, toDelay(ms), false, args),
  setInterval: (fn, ms, ...args) => startTimer(Timeout, fn, Math.max(1, toDelay(ms)), true, args),
  setImmediate: (fn, ...args) => startTimer(Immediate, fn, 0, false, args),
  clearTimeout: clearTimer,
  clearInterval: clearTimer,
  clearImmediate: clearTimer,
};
// As in Node, util.promisify(setTimeout)(ms, value) and util.promisify(setImmediate)(value)
// resolve with `value` (util's promisify looks for this registered symbol).
const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');
defineProperty(timerGlobals.setTimeout, promisifyCustom, {
  value: (ms, value) => new Promise((resolve) => timerGlobals.setTimeout(resolve, ms, value)),
});
defineProperty(timerGlobals.setImmediate, promisifyCustom, {
  value: (value) => new Promise((resolve) => timerGlobals.setImmediate(resolve, value)),
});

// ---------------------------------------------------------------------------------------------
// Modules. Built-in modules are CommonJS bodies embedded in the binary; `node:` is optional.
const moduleCache = new Map();
const ALIASES = {
  'lp-faas-toolbelt': 'toolbelt', 'core-functions-toolbelt': 'toolbelt', 'parley-toolbelt': 'toolbelt',
};
// Modules written for the runtime itself get the native bindings as a sixth argument.
const RUNTIME_MODULES = new Set(['crypto', 'toolbelt']);
const importable = native.moduleNames().filter((n) => !n.startsWith('internal/')).sort();

function canonicalName(name) {
  if (typeof name !== 'string') {
    throw new TypeError('The "id" argument must be of type string. Received ' + typeof name);
  }
  const bare = name.startsWith('node:') ? name.slice(5) : name;
  return ALIASES[bare] || bare;
}

function moduleNotFound(name) {
  const listed = importable.filter((n) => n !== 'toolbelt');
  if (importable.includes('toolbelt')) listed.unshift(...objectKeys(ALIASES));
  const err = new Error(`Cannot find module '${name}'. Parley functions can import: ${listed.join(', ')}` +
    (name.startsWith('.') || name.startsWith('/') ? '. A function is a single file: relative imports are not available.' : ''));
  err.code = 'MODULE_NOT_FOUND';
  return err;
}

function requireModule(name) {
  const canonical = canonicalName(name);
  const cached = moduleCache.get(canonical);
  if (cached) return cached.exports;
  if (canonical.startsWith('internal/')) throw moduleNotFound(name);
  const body = native.loadModule(canonical);
  if (!body) throw moduleNotFound(name);
  const module = { exports: {}, id: canonical, loaded: false };
  moduleCache.set(canonical, module);
  try {
    const args = [module.exports, requireModule, module, canonical, '/'];
    if (RUNTIME_MODULES.has(canonical)) args.push(native);
    Reflect.apply(body, module.exports, args);
  } catch (e) {
    moduleCache.delete(canonical);
    throw e;
  }
  module.loaded = true;
  return module.exports;
}
requireModule.resolve = (name) => { canonicalName(name); return name; };
requireModule.cache = {};

function internalModule(name) {
  const body = native.loadModule('internal/' + name);
  const module = { exports: {} };
  Reflect.apply(body, module.exports, [module.exports, requireModule, module, name, '/', native]);
  return module.exports;
}

// ---------------------------------------------------------------------------------------------
// Globals. Heavier ones are defined lazily: they are built on first use, so a cold start pays
// only for what a function touches.
function defineValue(name, value) {
  defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
}
function defineLazy(name, make) {
  defineProperty(global, name, {
    configurable: true, enumerable: false,
    get() { const v = make(); defineValue(name, v); return v; },
    set(v) { defineValue(name, v); },
  });
}

defineValue('global', global);
defineValue('console', consoleObject);
for (const k of objectKeys(timerGlobals)) defineValue(k, timerGlobals[k]);
// A microtask that throws would otherwise reject a promise nobody sees, and the error would be
// lost. As in Node (where it is an uncaught exception), it fails the invocation: the error is
// rethrown from a timer, which the C++ side attributes to the running invocation and fails it
// with (or drops, if that invocation has already finished).
function runMicrotask(fn, args) {
  try {
    Reflect.apply(fn, undefined, args);
  } catch (e) {
    timerGlobals.setTimeout(() => { throw e; }, 0);
  }
}
defineValue('queueMicrotask', (fn) => {
  if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
  Promise.resolve().then(() => runMicrotask(fn, []));
});
defineValue('structuredClone', (value, options) => native.structuredClone(value));

const timeOrigin = native.timeOrigin();
defineValue('performance', freeze({
  now: () => native.now(),
  timeOrigin,
  toJSON() { return { timeOrigin }; },
}));

let encodingModule;
const encoding = () => encodingModule || (encodingModule = internalModule('encoding'));
for (const name of ['TextEncoder', 'TextDecoder', 'atob', 'btoa']) {
  defineLazy(name, () => encoding()[name]);
}
defineLazy('Buffer', () => requireModule('buffer').Buffer);
defineLazy('URL', () => requireModule('url').URL);
defineLazy('URLSearchParams', () => requireModule('url').URLSearchParams);
defineLazy('crypto', () => requireModule('crypto').webcrypto);
// fetch and its classes (internal__fetch.js), built on first use of any of them.
let fetchModule;
const fetchApi = () => fetchModule || (fetchModule = internalModule('fetch'));
for (const name of ['fetch', 'Headers', 'Request', 'Response', 'AbortController', 'AbortSignal',
  'DOMException']) {
  defineLazy(name, () => fetchApi()[name]);
}

// process.env is read on first use: the prelude runs when the isolate is created, before the
// function (and so its variables) is loaded into it. Reading it here gave every function an
// empty process.env.
let processEnv;
const processObject = {
  get env() {
    if (processEnv === undefined) processEnv = native.env();
    return processEnv;
  },
  set env(value) { processEnv = value; },
  version: 'v18.20.4',
  versions: freeze({ parley: native.version() }),
  platform: 'linux',
  arch: 'x64',
  argv: ['parley'],
  pid: 1,
  nextTick(fn, ...args) {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    Promise.resolve().then(() => runMicrotask(fn, args));
  },
  hrtime: Object.assign((prev) => {
    const t = native.now();
    const s = Math.floor(t / 1000), ns = Math.floor((t % 1000) * 1e6);
    if (!prev) return [s, ns];
    let ds = s - prev[0], dns = ns - prev[1];
    if (dns < 0) { ds -= 1; dns += 1e9; }
    return [ds, dns];
  }, { bigint: () => BigInt(Math.floor(native.now() * 1e6)) }),
  cwd: () => '/',
  uptime: () => native.now() / 1000,
  memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
  emitWarning(msg) { consoleObject.warn(String(msg)); },
  on() { return processObject; }, once() { return processObject; }, off() { return processObject; },
  exit() { throw new Error('process.exit() is not available in a Parley function'); },
};
defineValue('process', processObject);

// ---------------------------------------------------------------------------------------------
// Invocation.

// Input is {timestamp, headers: [{key, value}], payload}; a headers map is normalised to a list.
function normaliseInput(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { timestamp: Date.now(), headers: [], payload: input };
  }
  if (typeof input.timestamp !== 'number') input.timestamp = Date.now();
  const h = input.headers;
  if (h == null) {
    input.headers = [];
  } else if (!Array.isArray(h) && typeof h === 'object') {
    input.headers = objectKeys(h).map((key) => ({ key, value: h[key] }));
  }
  return input;
}

function describeError(e) {
  if (e instanceof Error || (e !== null && typeof e === 'object' && typeof e.message === 'string')) {
    let stack = '';
    try { stack = typeof e.stack === 'string' ? e.stack : ''; } catch (_) {}
    return { isError: true, name: String(e.name || 'Error'), message: String(e.message), stack };
  }
  let message;
  if (typeof e === 'string') message = e;
  else { try { message = JSON.stringify(e); } catch (_) { message = String(e); } }
  if (message === undefined) message = String(e);
  return { isError: false, name: '', message, stack: '' };
}

// Calls the lambda in the shape it was written in. V1: lambda(input, callback) — only the
// callback's value counts and a rejected returned promise is an error. V2: the returned value.
function runInvocation(lambda, invocationId, input) {
  input = normaliseInput(input);
  let settled = false;
  const finish = (failed, value) => {
    if (settled) return;
    settled = true;
    if (failed) {
      const d = describeError(value);
      if (!d.isError) {
        native.log(LEVEL_WARN, 'Received error in an incorrect format. Please provide an error object to the callback.', '[]');
      }
      native.complete(invocationId, true, d);
    } else {
      native.complete(invocationId, false, value);
    }
  };
  try {
    if (lambda.length >= 2) {
      const callback = (err, result) => {
        if (err !== null && err !== undefined) finish(true, err); else finish(false, result);
      };
      const returned = lambda(input, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then(undefined, (err) => finish(true, err));
      }
    } else {
      const returned = lambda(input);
      if (returned && typeof returned.then === 'function') {
        returned.then((v) => finish(false, v), (err) => finish(true, err));
      } else {
        finish(false, returned);
      }
    }
  } catch (err) {
    finish(true, err);
  }
}

// Finds the function to run among what the code defined: a global or script-level `lambda`,
// module.exports (a function, or an object with `lambda` or `default`).
function pickLambda(candidates) {
  for (const c of candidates) {
    if (typeof c === 'function') return c;
    if (c !== null && typeof c === 'object') {
      if (typeof c.lambda === 'function') return c.lambda;
      if (typeof c.default === 'function') return c.default;
      if (c.default && typeof c.default.lambda === 'function') return c.default.lambda;
    }
  }
  return undefined;
}

// CommonJS surface for the function's own (script) code.
const userModule = { exports: {}, id: '.', loaded: false };
defineValue('module', userModule);
defineProperty(global, 'exports', {
  configurable: true, enumerable: false,
  get() { return userModule.exports; },
  set(v) { userModule.exports = v; },
});
defineValue('require', requireModule);

return {
  runInvocation,
  fireTimer,
  forgetTimers,
  require: requireModule,
  pickLambda,
  userModule,
  describeError,
};

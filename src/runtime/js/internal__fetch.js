// WHATWG fetch for functions: fetch, Headers, Request, Response, AbortController, AbortSignal,
// DOMException. Requests go to the host ("http.fetch", control/http_host.h), which checks the
// account allowlist, refuses private addresses, follows redirects hop by hop and enforces the
// timeout, size cap and rate limit; a refusal rejects with TypeError('fetch failed: <why>')
// whose `cause` carries the reason code (egress.not-allowlisted, egress.private-address, ...).
//
// Bodies are buffered (no ReadableStream): `text()`, `json()`, `arrayBuffer()`; `blob()` and
// `formData()` throw. Request bodies: string, ArrayBuffer, typed arrays / Buffer, URLSearchParams.
// Aborting a signal rejects with its reason (an AbortError DOMException by default) and cancels
// the host request.
//
// Two internal options, read from the init object by symbol, are used by the toolbelt's clients:
// Symbol.for('parley.fetch.timeoutMs') (a per-request timeout) and Symbol.for('parley.fetch.tls')
// ({cert, key, ca, insecure} for mTLS).
//
// Module body; the sixth wrapper argument `native` holds the bindings (hostCall).
'use strict';
const native = arguments[5];

const TIMEOUT = Symbol.for('parley.fetch.timeoutMs');
const TLS = Symbol.for('parley.fetch.tls');

// ---------------------------------------------------------------------------------------------
// DOMException (V8 alone has none).
const DOM_CODES = { AbortError: 20, TimeoutError: 23, NotSupportedError: 9, InvalidStateError: 11 };
class DOMException extends Error {
  constructor(message = '', name = 'Error') {
    super(message);
    Object.defineProperty(this, 'name', { value: String(name), configurable: true, writable: true });
  }
  get code() { return DOM_CODES[this.name] || 0; }
}

// ---------------------------------------------------------------------------------------------
// AbortController / AbortSignal.
const kAbort = Symbol('abort');

class AbortSignal {
  #aborted = false;
  #reason = undefined;
  #listeners = [];
  constructor(key) {
    if (key !== kAbort) throw new TypeError('Illegal constructor');
    this.onabort = null;
  }
  get aborted() { return this.#aborted; }
  get reason() { return this.#reason; }
  throwIfAborted() { if (this.#aborted) throw this.#reason; }
  addEventListener(type, listener, options) {
    if (type !== 'abort' || typeof listener !== 'function') return;
    const once = options !== null && typeof options === 'object' && options.once === true;
    this.#listeners.push({ listener, once });
  }
  removeEventListener(type, listener) {
    if (type !== 'abort') return;
    this.#listeners = this.#listeners.filter((l) => l.listener !== listener);
  }
  dispatchEvent(event) {
    const listeners = this.#listeners;
    this.#listeners = listeners.filter((l) => !l.once);
    if (typeof this.onabort === 'function') this.onabort.call(this, event);
    for (const { listener } of listeners) listener.call(this, event);
    return true;
  }
  [kAbort](reason) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.dispatchEvent({ type: 'abort', target: this });
  }
  static abort(reason) {
    const s = new AbortSignal(kAbort);
    s[kAbort](reason);
    return s;
  }
  static timeout(ms) {
    const s = new AbortSignal(kAbort);
    setTimeout(() => s[kAbort](new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    return s;
  }
  static any(signals) {
    const s = new AbortSignal(kAbort);
    for (const other of signals) {
      if (other.aborted) { s[kAbort](other.reason); break; }
      other.addEventListener('abort', () => s[kAbort](other.reason), { once: true });
    }
    return s;
  }
  get [Symbol.toStringTag]() { return 'AbortSignal'; }
}

class AbortController {
  #signal = new AbortSignal(kAbort);
  get signal() { return this.#signal; }
  abort(reason) { this.#signal[kAbort](reason); }
  get [Symbol.toStringTag]() { return 'AbortController'; }
}

// ---------------------------------------------------------------------------------------------
// Headers.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function checkName(name) {
  name = String(name);
  if (!TOKEN.test(name)) throw new TypeError(`Headers: invalid header name "${name}"`);
  return name.toLowerCase();
}
function checkValue(value) {
  value = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  if (/[\r\n\0]/.test(value)) throw new TypeError(`Headers: invalid header value "${value}"`);
  return value;
}

class Headers {
  #list = [];  // [lowercase name, value] in insertion order
  constructor(init) {
    if (init == null) return;
    if (init instanceof Headers) {
      for (const [n, v] of init.#list) this.#list.push([n, v]);
    } else if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const p = [...pair];
        if (p.length !== 2) throw new TypeError('Headers: each header must be a [name, value] pair');
        this.append(p[0], p[1]);
      }
    } else if (typeof init === 'object') {
      for (const k of Object.keys(init)) this.append(k, init[k]);
    } else {
      throw new TypeError('Headers: init must be an object, an iterable of pairs or a Headers');
    }
  }
  append(name, value) { this.#list.push([checkName(name), checkValue(value)]); }
  delete(name) { const n = checkName(name); this.#list = this.#list.filter(([k]) => k !== n); }
  get(name) {
    const n = checkName(name);
    const values = this.#list.filter(([k]) => k === n).map(([, v]) => v);
    return values.length ? values.join(', ') : null;
  }
  getSetCookie() { return this.#list.filter(([k]) => k === 'set-cookie').map(([, v]) => v); }
  has(name) { const n = checkName(name); return this.#list.some(([k]) => k === n); }
  set(name, value) {
    const n = checkName(name);
    const v = checkValue(value);
    const i = this.#list.findIndex(([k]) => k === n);
    if (i < 0) { this.#list.push([n, v]); return; }
    this.#list[i] = [n, v];
    this.#list = this.#list.filter(([k], j) => k !== n || j === i);
  }
  // Sorted by name, values of a name combined (set-cookie kept apart), as the spec iterates.
  *entries() {
    const names = [...new Set(this.#list.map(([k]) => k))].sort();
    for (const n of names) {
      if (n === 'set-cookie') {
        for (const v of this.getSetCookie()) yield [n, v];
      } else {
        yield [n, this.get(n)];
      }
    }
  }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  forEach(fn, thisArg) { for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this); }
  [Symbol.iterator]() { return this.entries(); }
  get [Symbol.toStringTag]() { return 'Headers'; }
  // The raw pairs, for the host.
  static pairs(h) { return h.#list.map(([k, v]) => [k, v]); }
}

// ---------------------------------------------------------------------------------------------
// Bodies.
let encoder;
const utf8 = (s) => (encoder || (encoder = new TextEncoder())).encode(s);
const decodeUtf8 = (bytes) => new TextDecoder().decode(bytes);

// [bytes (Uint8Array) or null, content type or null]
function extractBody(body) {
  if (body == null) return [null, null];
  if (typeof body === 'string') return [utf8(body), 'text/plain;charset=UTF-8'];
  if (body instanceof ArrayBuffer) return [new Uint8Array(body.slice(0)), null];
  if (ArrayBuffer.isView(body)) {
    return [new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), null];
  }
  if (typeof URLSearchParams === 'function' && body instanceof URLSearchParams) {
    return [utf8(body.toString()), 'application/x-www-form-urlencoded;charset=UTF-8'];
  }
  if (typeof body === 'object' && typeof body[Symbol.asyncIterator] === 'function') {
    throw new TypeError('fetch: stream bodies are not supported; pass a string, Buffer or ArrayBuffer');
  }
  return [utf8(String(body)), 'text/plain;charset=UTF-8'];
}

const kBytes = Symbol('bytes');
const kUsed = Symbol('used');

function consume(self, what) {
  if (self[kUsed]) return Promise.reject(new TypeError(`Body is unusable: ${what}() after the body was read`));
  self[kUsed] = self[kBytes] !== null;
  return Promise.resolve(self[kBytes] || new Uint8Array(0));
}

const BodyMixin = {
  get bodyUsed() { return this[kUsed]; },
  arrayBuffer() {
    return consume(this, 'arrayBuffer').then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  },
  text() { return consume(this, 'text').then(decodeUtf8); },
  json() { return consume(this, 'json').then((b) => JSON.parse(decodeUtf8(b))); },
  blob() { return Promise.reject(new TypeError('blob() is not supported in Parley functions; use arrayBuffer() or text()')); },
  formData() { return Promise.reject(new TypeError('formData() is not supported in Parley functions; use text()')); },
};
function mixBody(cls) {
  for (const key of Object.keys(BodyMixin)) {
    Object.defineProperty(cls.prototype, key, Object.getOwnPropertyDescriptor(BodyMixin, key));
  }
}

// ---------------------------------------------------------------------------------------------
// Request.
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];
const REDIRECTS = ['follow', 'manual', 'error'];

class Request {
  #url; #method; #headers; #redirect; #signal;
  constructor(input, init = {}) {
    init = init == null ? {} : init;
    const from = input instanceof Request ? input : null;
    let url;
    try {
      url = new URL(from ? from.url : String(input));
    } catch (e) {
      throw new TypeError(`Failed to parse URL from ${from ? from.url : String(input)}`);
    }
    if (url.username || url.password) {
      throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.href}`);
    }
    this.#url = url.href;
    let method = init.method !== undefined ? String(init.method) : from ? from.method : 'GET';
    if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
    if (METHODS.includes(method.toUpperCase())) method = method.toUpperCase();
    if (['CONNECT', 'TRACE', 'TRACK'].includes(method.toUpperCase())) {
      throw new TypeError(`'${method}' HTTP method is unsupported.`);
    }
    this.#method = method;
    this.#headers = new Headers(init.headers !== undefined ? init.headers : from ? from.headers : undefined);
    this.#redirect = init.redirect !== undefined ? String(init.redirect) : from ? from.redirect : 'follow';
    if (!REDIRECTS.includes(this.#redirect)) {
      throw new TypeError(`Failed to construct 'Request': '${this.#redirect}' is not a valid redirect mode`);
    }
    this.#signal = init.signal != null ? init.signal : from ? from.signal : new AbortController().signal;
    let bytes = null;
    if (init.body != null) {
      if (method === 'GET' || method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
      const [b, type] = extractBody(init.body);
      bytes = b;
      if (type && !this.#headers.has('content-type')) this.#headers.set('content-type', type);
    } else if (from && init.body === undefined) {
      if (from.bodyUsed) throw new TypeError('Cannot construct a Request with a Request object that has already been used.');
      bytes = from[kBytes];
    }
    this[kBytes] = bytes;
    this[kUsed] = false;
    this[TIMEOUT] = init[TIMEOUT] !== undefined ? init[TIMEOUT] : from ? from[TIMEOUT] : undefined;
    this[TLS] = init[TLS] !== undefined ? init[TLS] : from ? from[TLS] : undefined;
  }
  get url() { return this.#url; }
  get method() { return this.#method; }
  get headers() { return this.#headers; }
  get redirect() { return this.#redirect; }
  get signal() { return this.#signal; }
  get body() { return null; }
  get cache() { return 'default'; }
  get credentials() { return 'same-origin'; }
  get mode() { return 'cors'; }
  clone() {
    if (this.bodyUsed) throw new TypeError('Request.clone: Body has already been consumed.');
    return new Request(this);
  }
  get [Symbol.toStringTag]() { return 'Request'; }
}
mixBody(Request);

// ---------------------------------------------------------------------------------------------
// Response.
const kInit = Symbol('init');

class Response {
  #status; #statusText; #headers; #url; #redirected; #type;
  constructor(body = null, init = {}) {
    init = init == null ? {} : init;
    const internal = init[kInit];
    const status = init.status !== undefined ? Number(init.status) : 200;
    if (!internal && (!Number.isInteger(status) || status < 200 || status > 599)) {
      throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
    }
    this.#status = status;
    this.#statusText = init.statusText !== undefined ? String(init.statusText) : '';
    this.#headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.#url = internal ? internal.url : '';
    this.#redirected = internal ? internal.redirected : false;
    this.#type = internal ? internal.type : 'default';
    if (internal) {
      this[kBytes] = internal.bytes;
    } else {
      if (body != null && [101, 204, 205, 304].includes(status)) {
        throw new TypeError('Response constructor: Invalid response status code ' + status);
      }
      const [bytes, type] = extractBody(body);
      this[kBytes] = bytes;
      if (type && !this.#headers.has('content-type')) this.#headers.set('content-type', type);
    }
    this[kUsed] = false;
  }
  get status() { return this.#status; }
  get statusText() { return this.#statusText; }
  get ok() { return this.#status >= 200 && this.#status <= 299; }
  get headers() { return this.#headers; }
  get url() { return this.#url; }
  get redirected() { return this.#redirected; }
  get type() { return this.#type; }
  get body() { return null; }
  clone() {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new Response(null, {
      status: this.#status, statusText: this.#statusText, headers: new Headers(this.#headers),
      [kInit]: { url: this.#url, redirected: this.#redirected, type: this.#type, bytes: this[kBytes] },
    });
  }
  static error() {
    return new Response(null, { status: 0, [kInit]: { url: '', redirected: false, type: 'error', bytes: null } });
  }
  static json(data, init = {}) {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable');
    const headers = new Headers(init && init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(text, { ...init, headers });
  }
  static redirect(url, status = 302) {
    if (![301, 302, 303, 307, 308].includes(status)) throw new RangeError(`Invalid status code ${status}`);
    return new Response(null, { status, headers: { location: new URL(String(url)).href } });
  }
  get [Symbol.toStringTag]() { return 'Response'; }
}
mixBody(Response);

// ---------------------------------------------------------------------------------------------
// fetch.
let nextId = 0;

function fetchError(e) {
  const cause = new Error(e && e.message ? e.message : String(e));
  cause.code = e && e.code ? e.code : 'egress.failed';
  const err = new TypeError(`fetch failed: ${cause.message}`);
  err.cause = cause;
  return err;
}

function fetch(input, init) {
  let request;
  try {
    request = new Request(input, init);
  } catch (e) {
    return Promise.reject(e);
  }
  const signal = request.signal;
  if (signal.aborted) return Promise.reject(signal.reason);
  const id = String(++nextId);
  const args = {
    id, method: request.method, url: request.url, headers: Headers.pairs(request.headers),
    redirect: request.redirect,
  };
  if (typeof request[TIMEOUT] === 'number' && request[TIMEOUT] > 0) args.timeoutMs = request[TIMEOUT];
  if (request[TLS]) args.tls = request[TLS];
  const body = request[kBytes];
  request[kUsed] = body !== null;
  return new Promise((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      native.hostCall('http.cancel', JSON.stringify({ id })).then(undefined, () => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const call = body ? native.hostCall('http.fetch', JSON.stringify(args), body)
      : native.hostCall('http.fetch', JSON.stringify(args));
    call.then(({ result, body: bytes }) => {
      signal.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      const headers = new Headers();
      for (const [name, value] of result.headers) {
        try { headers.append(name, value); } catch (_) { /* a header fetch cannot represent */ }
      }
      resolve(new Response(null, {
        status: result.status, statusText: result.statusText, headers,
        [kInit]: {
          url: result.url, redirected: result.redirected, type: 'basic',
          bytes: bytes ? new Uint8Array(bytes) : null,
        },
      }));
    }, (e) => {
      signal.removeEventListener('abort', onAbort);
      if (settled) return;
      settled = true;
      reject(fetchError(e));
    });
  });
}

module.exports = { fetch, Headers, Request, Response, AbortController, AbortSignal, DOMException };

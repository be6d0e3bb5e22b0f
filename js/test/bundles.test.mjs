// Loads every bundle the way the Parley runtime does and checks that it really works.
//
//   node --test js/test/
//
// Bundles come from PARLEY_JS_MODULES_DIR (a <outDir>/modules directory written by build.mjs)
// when set, so CI can test the very files that get embedded; otherwise they are built afresh
// into a temporary directory.
//
// Each test gets a fresh `vm` context holding only the ECMAScript built-ins plus what the runtime
// promises: Buffer (from the buffer bundle), URL/URLSearchParams (from the url bundle),
// TextEncoder/TextDecoder, atob/btoa, console, timers, queueMicrotask and
// process = { env, nextTick }. There is no `global`, `window`, `self` or `document`. A bundle's
// source is wrapped exactly like the runtime wraps it, and its `require` resolves only the module
// names in index.json (with or without `node:`) plus `crypto`, a stub over Node's crypto.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import nodeCrypto from 'node:crypto';
import nodeUrl from 'node:url';
import nodeUtil from 'node:util';
import nodeQuerystring from 'node:querystring';
import { build, MODULES, fileNameOf } from '../build.mjs';

const JS_DIR = path.resolve(path.dirname(nodeUrl.fileURLToPath(import.meta.url)), '..');

let modulesDir = process.env.PARLEY_JS_MODULES_DIR;
if (!modulesDir) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-js-'));
  process.on('exit', () => fs.rmSync(outDir, { recursive: true, force: true }));
  await build(outDir);
  modulesDir = path.join(outDir, 'modules');
}
const index = JSON.parse(fs.readFileSync(path.join(modulesDir, 'index.json'), 'utf8'));
const indexByName = new Map(index.map((m) => [m.name, m]));

// Values made in the vm context have the context's prototypes; compare them as plain data.
const plain = (v) => JSON.parse(JSON.stringify(v));

// What the runtime defines natively, set up inside the context so that objects have the
// context's own prototypes (a TextEncoder there returns the context's Uint8Array, ...).
const CONTEXT_SETUP = `(function (host) {
  globalThis.process = {
    env: {},
    nextTick(fn, ...args) { queueMicrotask(() => fn(...args)); },
  };
  globalThis.TextEncoder = class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return new Uint8Array(host.encode(String(input))); }
  };
  globalThis.TextDecoder = class TextDecoder {
    constructor(label = 'utf-8', options = {}) { this._decoder = host.decoder(label, options); }
    get encoding() { return this._decoder.encoding; }
    decode(input, options) { return this._decoder.decode(input, options); }
  };
})`;

// The crypto module the runtime implements natively, here as a thin layer over Node's: data in
// and out is converted between the context's Buffers and Node's.
function makeCryptoStub(ContextBuffer) {
  const toHost = (data) => (typeof data === 'string' || data instanceof nodeCrypto.KeyObject || !ArrayBuffer.isView(data)
    ? data
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const toContext = (data) => (typeof data === 'string' ? data : ContextBuffer.from(data));
  const wrapDigest = (h) => ({
    update(data, encoding) { h.update(toHost(data), encoding); return this; },
    digest(encoding) { return toContext(h.digest(encoding)); },
  });
  const wrapKey = (key) => (key && typeof key === 'object' && !ArrayBuffer.isView(key) && !(key instanceof nodeCrypto.KeyObject)
    ? { ...key, key: toHost(key.key) }
    : toHost(key));
  return {
    createHash: (algorithm) => wrapDigest(nodeCrypto.createHash(algorithm)),
    createHmac: (algorithm, key) => wrapDigest(nodeCrypto.createHmac(algorithm, toHost(key))),
    createSign(algorithm) {
      const s = nodeCrypto.createSign(algorithm);
      return {
        update(data, encoding) { s.update(toHost(data), encoding); return this; },
        sign(key, encoding) { return toContext(s.sign(wrapKey(key), encoding)); },
      };
    },
    createVerify(algorithm) {
      const v = nodeCrypto.createVerify(algorithm);
      return {
        update(data, encoding) { v.update(toHost(data), encoding); return this; },
        verify(key, signature, encoding) { return v.verify(wrapKey(key), toHost(signature), encoding); },
      };
    },
    timingSafeEqual: (a, b) => nodeCrypto.timingSafeEqual(toHost(a), toHost(b)),
    randomBytes: (n) => toContext(nodeCrypto.randomBytes(n)),
    KeyObject: nodeCrypto.KeyObject,
    createSecretKey: (key, encoding) => nodeCrypto.createSecretKey(toHost(key), encoding),
    createPublicKey: (key) => nodeCrypto.createPublicKey(wrapKey(key)),
    createPrivateKey: (key) => nodeCrypto.createPrivateKey(wrapKey(key)),
  };
}

function createRuntime() {
  const context = vm.createContext({});
  const g = vm.runInContext('globalThis', context);
  Object.assign(g, { console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, atob, btoa });
  vm.runInContext(CONTEXT_SETUP, context)({
    encode: (s) => new TextEncoder().encode(s),
    decoder: (label, options) => new TextDecoder(label, options),
  });

  const cache = new Map();
  let crypto = null;
  function require(specifier) {
    const name = String(specifier).replace(/^node:/, '');
    if (name === 'crypto') return crypto;
    const entry = indexByName.get(name);
    if (!entry) throw new Error(`Cannot find module '${specifier}'`);
    if (cache.has(name)) return cache.get(name).exports;
    const module = { exports: {} };
    cache.set(name, module);
    const body = fs.readFileSync(path.join(modulesDir, entry.file), 'utf8');
    const wrapper = vm.runInContext(
      `(function (exports, require, module, __filename, __dirname) { ${body} \n})`,
      context,
      { filename: `/modules/${entry.file}` },
    );
    try {
      wrapper.call(module.exports, module.exports, require, module, `/modules/${entry.file}`, '/modules');
    } catch (err) {
      cache.delete(name);
      throw err;
    }
    return module.exports;
  }

  // The runtime installs these globals from the bundles before user code runs.
  g.Buffer = require('buffer').Buffer;
  crypto = makeCryptoStub(g.Buffer);
  const url = require('url');
  g.URL = url.URL;
  g.URLSearchParams = url.URLSearchParams;
  return { context, require, run: (code) => vm.runInContext(code, context) };
}

test('package.json pins exact versions, and index.json reports them', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(JS_DIR, 'package.json'), 'utf8'));
  const pins = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const [name, version] of Object.entries(pins)) {
    assert.match(version, /^\d+\.\d+\.\d+$/, `${name} must be pinned exactly`);
  }
  assert.deepEqual(index.map((m) => m.name), MODULES.map((m) => m.name));
  for (const m of index) {
    assert.equal(m.file, fileNameOf(m.name));
    assert.ok(fs.statSync(path.join(modulesDir, m.file)).size > 0, `${m.file} exists`);
    for (const [p, version] of Object.entries(m.packages)) {
      if (pins[p]) assert.equal(version, pins[p], `${m.name}: ${p}`);
    }
    assert.equal(m.version, Object.values(m.packages)[0]);
  }
});

test('every bundle loads on its own in a fresh runtime', () => {
  for (const { name } of index) {
    const rt = createRuntime();
    const exported = rt.require(name);
    assert.ok(typeof exported === 'function' || (typeof exported === 'object' && Object.keys(exported).length > 0),
      `${name} exports something`);
    assert.equal(rt.require(`node:${name}`), exported, `node:${name} is the same module`);
  }
});

test('modules outside the list cannot be required', () => {
  const rt = createRuntime();
  assert.throws(() => rt.require('fs'), /Cannot find module 'fs'/);
  assert.throws(() => rt.require('path'), /Cannot find module/);
});

test('lodash', () => {
  const _ = createRuntime().require('lodash');
  assert.deepEqual(plain(_.chunk([1, 2, 3, 4, 5], 2)), [[1, 2], [3, 4], [5]]);
  assert.equal(_.get({ a: [{ b: 3 }] }, 'a[0].b'), 3);
  assert.equal(_.template('hi <%= who %>')({ who: 'bob' }), 'hi bob');
  assert.equal(_.camelCase('Foo Bar'), 'fooBar');
});

test('luxon', () => {
  const { DateTime, Duration } = createRuntime().require('luxon');
  assert.equal(DateTime.fromISO('2024-02-28').plus({ days: 1 }).toISODate(), '2024-02-29');
  assert.equal(DateTime.fromISO('2024-07-01T12:00:00Z').setZone('America/New_York').toISO(), '2024-07-01T08:00:00.000-04:00');
  assert.equal(Duration.fromObject({ hours: 1, minutes: 30 }).as('minutes'), 90);
});

test('es-toolkit and es-toolkit/compat', () => {
  const rt = createRuntime();
  const tk = rt.require('es-toolkit');
  assert.deepEqual(plain(tk.chunk([1, 2, 3, 4, 5], 2)), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(plain(tk.uniq([1, 1, 2])), [1, 2]);
  const compat = rt.require('es-toolkit/compat');
  assert.equal(compat.get({ a: { b: [7] } }, 'a.b[0]'), 7);
  assert.deepEqual(plain(compat.chunk([1, 2, 3], 2)), [[1, 2], [3]]);
});

test('oauth-1.0a signs the documented HMAC-SHA1 example', () => {
  const rt = createRuntime();
  const OAuth = rt.require('oauth-1.0a');
  const crypto = rt.require('crypto');
  const oauth = OAuth({
    consumer: { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64'),
  });
  oauth.getNonce = () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg';
  oauth.getTimeStamp = () => 1318622958;
  const data = oauth.authorize(
    {
      url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      method: 'POST',
      data: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
    },
    { key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE' },
  );
  // Twitter's published example signature for these inputs.
  assert.equal(data.oauth_signature, 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  assert.match(oauth.toHeader(data).Authorization, /^OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"/);
});

test('jsonwebtoken: HS256 round trip, tampering, expiry', () => {
  const jwt = createRuntime().require('jsonwebtoken');
  const token = jwt.sign({ sub: 'u1', admin: true }, 'shh', { algorithm: 'HS256', expiresIn: '1h' });
  const claims = jwt.verify(token, 'shh');
  assert.equal(claims.sub, 'u1');
  assert.equal(claims.exp - claims.iat, 3600);
  // Independent check of the signature with Node's crypto.
  const [h, p, s] = token.split('.');
  assert.equal(nodeCrypto.createHmac('sha256', 'shh').update(`${h}.${p}`).digest('base64url'), s);

  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, admin: false })).toString('base64url')}.${s}`;
  assert.throws(() => jwt.verify(tampered, 'shh'), (e) => e.name === 'JsonWebTokenError' && e.message === 'invalid signature');
  assert.throws(() => jwt.verify(token, 'wrong'), (e) => e.name === 'JsonWebTokenError');
  const expired = jwt.sign({ sub: 'u1', exp: Math.floor(Date.now() / 1000) - 10 }, 'shh');
  assert.throws(() => jwt.verify(expired, 'shh'), (e) => e.name === 'TokenExpiredError');
  assert.equal(jwt.decode(token).sub, 'u1');
});

test('jsonwebtoken: RS256 and ES256 with PEM keys', () => {
  const jwt = createRuntime().require('jsonwebtoken');
  const pem = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } };
  const rsa = nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 2048, ...pem });
  const ec = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256', ...pem });
  for (const [alg, keys] of [['RS256', rsa], ['ES256', ec]]) {
    const token = jwt.sign({ n: 1 }, keys.privateKey, { algorithm: alg });
    assert.equal(jwt.verify(token, keys.publicKey, { algorithms: [alg] }).n, 1, alg);
    assert.throws(() => jwt.verify(token, keys.publicKey, { algorithms: ['HS256'] }), /invalid algorithm/);
  }
});

test('url: WHATWG URL and the legacy API agree with Node', () => {
  const rt = createRuntime();
  const url = rt.require('url');
  assert.equal(new url.URL('https://a.b/c?d=1').searchParams.get('d'), '1');
  assert.equal(rt.run("new URL('https://a.b/c?d=1').searchParams.get('d')"), '1');
  assert.equal(new url.URL('https://espa\u00f1ol.example/').hostname, 'xn--espaol-zwa.example');
  const sp = new url.URLSearchParams({ q: 'a b', n: '1' });
  sp.append('q', 'c');
  assert.equal(sp.toString(), 'q=a+b&n=1&q=c');

  const input = 'https://user:pw@Example.com:8080/p/a/t/h?query=string&a=1&a=2#hash';
  const ours = url.parse(input, true);
  const node = nodeUrl.parse(input, true);
  for (const key of ['protocol', 'auth', 'host', 'port', 'hostname', 'hash', 'search', 'pathname', 'path', 'href']) {
    assert.equal(ours[key], node[key], key);
  }
  assert.deepEqual(plain(ours.query), { ...node.query });
  assert.equal(url.format(ours), nodeUrl.format(node));
  assert.equal(url.format({ protocol: 'http', host: 'x.y', pathname: '/z', query: { a: [1, 2] } }), 'http://x.y/z?a=1&a=2');
  assert.equal(url.resolve('http://a/b/c/d', '../e'), nodeUrl.resolve('http://a/b/c/d', '../e'));
  const whatwg = 'https://u:p@a.b:81/c?d=1#e';
  for (const opts of [undefined, { auth: false, search: false, fragment: false }]) {
    assert.equal(url.format(new url.URL(whatwg), opts), nodeUrl.format(new URL(whatwg), opts));
  }
  assert.equal(url.domainToASCII('espa\u00f1ol.com'), nodeUrl.domainToASCII('espa\u00f1ol.com'));
  assert.equal(url.domainToUnicode('xn--espaol-zwa.com'), nodeUrl.domainToUnicode('xn--espaol-zwa.com'));
  assert.equal(url.fileURLToPath('file:///a/b%20c'), '/a/b c');
  assert.equal(url.pathToFileURL('/a/b c#?').href, nodeUrl.pathToFileURL('/a/b c#?').href);
});

test('util', async () => {
  const rt = createRuntime();
  const util = rt.require('util');
  assert.equal(util.format('%s=%d', 'a', 1), 'a=1');
  assert.equal(util.format('%j %%', { a: 1 }), '{"a":1} %');
  assert.equal(util.inspect({ a: [1, 'x'] }), "{ a: [ 1, 'x' ] }");
  assert.equal(util.inspect({ [util.inspect.custom]: () => 'custom!' }), 'custom!');

  const legacy = (x, cb) => setTimeout(() => (x < 0 ? cb(new Error('neg')) : cb(null, x * 2)), 1);
  assert.equal(await util.promisify(legacy)(21), 42);
  await assert.rejects(util.promisify(legacy)(-1), /neg/);
  const custom = () => {};
  custom[Symbol.for('nodejs.util.promisify.custom')] = () => Promise.resolve('c');
  assert.equal(await util.promisify(custom)(), 'c');

  function Base() {}
  function Derived() {}
  util.inherits(Derived, Base);
  assert.ok(new Derived() instanceof Base);
  assert.equal(util.types.isPromise(rt.run('Promise.resolve()')), true);
  assert.equal(util.types.isUint8Array(rt.run('new Uint8Array(1)')), true);
  assert.equal(util.TextEncoder, rt.run('TextEncoder'));
  assert.equal(util.stripVTControlCharacters('\u001b[31mred\u001b[39m'), 'red');

  // deprecate() warns once, through console.error.
  let warned = 0;
  const dep = util.deprecate(() => 1, 'old');
  const origError = console.error;
  console.error = () => { warned++; };
  try {
    assert.equal(dep(), 1);
    dep();
  } finally {
    console.error = origError;
  }
  assert.equal(warned, 1);
});

test('util.isDeepStrictEqual matches Node', () => {
  const rt = createRuntime();
  const { isDeepStrictEqual } = rt.require('util');
  const cases = [
    ['1', '1'], ['1', "'1'"], ['NaN', 'NaN'], ['0', '-0'], ['({a: 1, b: [1, 2]})', '({b: [1, 2], a: 1})'],
    ['({a: 1})', '({a: 1, b: undefined})'], ['[1, , 3]', '[1, undefined, 3]'], ['[1, 2]', '({0: 1, 1: 2, length: 2})'],
    ['new Date(5)', 'new Date(5)'], ['new Date(5)', 'new Date(6)'], ['/a/g', '/a/g'], ['/a/g', '/a/i'],
    ['new Map([[1, {x: 1}]])', 'new Map([[1, {x: 1}]])'], ['new Map([[{k: 1}, 1]])', 'new Map([[{k: 1}, 1]])'],
    ['new Map([[1, 2]])', 'new Map([[1, 3]])'], ['new Set([1, {a: 1}])', 'new Set([{a: 1}, 1])'],
    ['new Set([{a: 1}, {a: 2}])', 'new Set([{a: 1}, {a: 1}])'], ['new Uint8Array([1, 2])', 'new Uint8Array([1, 2])'],
    ['new Uint8Array([1, 2])', 'new Int8Array([1, 2])'], ['new Uint8Array([1, 2])', 'new Uint8Array([1, 3])'],
    ['new Error("x")', 'new Error("x")'], ['new Error("x")', 'new TypeError("x")'], ['new Error("x")', 'new Error("y")'],
    ['new Number(1)', 'new Number(1)'], ['new String("a")', 'new String("b")'], ['Object.create(null)', '({})'],
    ['(() => { const a = {}; a.self = a; return a; })()', '(() => { const b = {}; b.self = b; return b; })()'],
    ['({[Symbol.for("s")]: 1})', '({[Symbol.for("s")]: 2})'], ['[{a: [{b: 1}]}]', '[{a: [{b: 1}]}]'],
  ];
  for (const [a, b] of cases) {
    const expected = nodeUtil.isDeepStrictEqual(vm.runInThisContext(a), vm.runInThisContext(b));
    assert.equal(isDeepStrictEqual(rt.run(a), rt.run(b)), expected, `${a} vs ${b}`);
  }
});

test('querystring', () => {
  const qs = createRuntime().require('querystring');
  const obj = { a: [1, 2], b: 'x y', c: '\u00e9&=' };
  assert.equal(qs.stringify(obj), nodeQuerystring.stringify(obj));
  assert.deepEqual(plain(qs.parse('a=1&a=2&b=x+y&c=%C3%A9')), { a: ['1', '2'], b: 'x y', c: '\u00e9' });
  assert.equal(qs.unescape('%E2%82%AC%ZZ'), '\u20ac%ZZ');
  assert.equal(qs.escape('a b&'), nodeQuerystring.escape('a b&'));
});

test('buffer', () => {
  const rt = createRuntime();
  const buffer = rt.require('buffer');
  const { Buffer: B } = buffer;
  assert.equal(rt.run('Buffer'), B);
  assert.equal(B.from('hello world').toString('base64'), 'aGVsbG8gd29ybGQ=');
  assert.equal(B.from('aGVsbG8gd29ybGQ=', 'base64').toString(), 'hello world');
  assert.equal(B.from([0xde, 0xad]).toString('hex'), 'dead');
  assert.equal(B.concat([B.from('a'), B.from('\u20ac')]).length, 4);
  assert.equal(B.from('x').readUInt8(0), 0x78);
  assert.equal(buffer.constants.MAX_LENGTH, buffer.kMaxLength);
  assert.equal(typeof buffer.SlowBuffer, 'function');
  assert.equal(buffer.btoa('hi'), 'aGk=');
});

test('events', () => {
  const { EventEmitter, once } = createRuntime().require('events');
  const e = new EventEmitter();
  const seen = [];
  e.on('x', (v) => seen.push(v));
  e.once('x', (v) => seen.push(`once:${v}`));
  e.emit('x', 1);
  e.emit('x', 2);
  assert.deepEqual(seen, [1, 'once:1', 2]);
  assert.equal(typeof once, 'function');
});

test('string_decoder', () => {
  const rt = createRuntime();
  const { StringDecoder } = rt.require('string_decoder');
  const { Buffer: B } = rt.require('buffer');
  const d = new StringDecoder('utf8');
  const euro = B.from('\u20ac');
  assert.equal(d.write(euro.subarray(0, 1)), '');
  assert.equal(d.write(euro.subarray(1)), '\u20ac');
  assert.equal(d.end(), '');
});

test('stream: Readable piped to Writable, Transform, from(), promises', async () => {
  const rt = createRuntime();
  const stream = rt.require('stream');
  const { Readable, Writable, Transform, PassThrough, Duplex } = stream;
  assert.equal(stream.Stream, stream);
  for (const C of [Readable, Writable, Transform, PassThrough, Duplex]) assert.equal(typeof C, 'function');

  const source = new Readable({ read() {} });
  source.push('hello ');
  source.push('world');
  source.push(null);
  assert.ok(source instanceof stream, 'a Readable is a Stream, as in Node');
  assert.ok(source instanceof rt.require('events').EventEmitter);
  const chunks = [];
  const sink = new Writable({
    write(chunk, encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  await new Promise((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
    source.pipe(sink);
  });
  assert.equal(chunks.join(''), 'hello world');

  const upper = new Transform({
    transform(chunk, encoding, callback) { callback(null, chunk.toString().toUpperCase()); },
  });
  const out = [];
  await stream.promises.pipeline(
    Readable.from(['a', 'b', 'c']),
    upper,
    new Writable({ write(chunk, enc, cb) { out.push(chunk.toString()); cb(); } }),
  );
  assert.equal(out.join(''), 'ABC');

  const collected = [];
  for await (const item of Readable.from([1, 2, 3])) collected.push(item);
  assert.deepEqual(collected, [1, 2, 3]);
});

test('buffer: base64url like Node (≥ 15.7)', () => {
  const { Buffer } = createRuntime().require('buffer');
  const raw = [0xfb, 0xff, 0xbf, 0x3e, 0x3f];
  const bytes = Buffer.from(raw);
  assert.equal(bytes.toString('base64url'), globalThis.Buffer.from(raw).toString('base64url'));
  assert.equal(bytes.toString('base64url'), '-_-_Pj8');
  assert.deepEqual([...Buffer.from('-_-_Pj8', 'base64url')], raw);
  assert.equal(Buffer.byteLength('-_-_Pj8', 'base64url'), 5);
  assert.ok(Buffer.isEncoding('base64url'));
  const b = Buffer.alloc(5);
  b.write('-_-_Pj8', 'base64url');
  assert.deepEqual([...b], raw);
  assert.equal(bytes.toString('base64'), '+/+/Pj8=');  // other encodings untouched
});

test('util.format: every specifier, as Node formats them', () => {
  const util = createRuntime().require('util');
  const cases = [
    ['%s:%d:%i:%f', 'a', '42.5', '42.5', '42.5'],
    ['%j', { a: [1] }],
    ['%i', 3.9],
    ['%d', 10n],
    ['100%% %s', 'sure'],
    ['%s', null],
    ['%s %s', 'only one'],
    ['no specifiers', 1, 'two'],
    ['%c%s', 'color: red', 'styled'],
    ['%s', 42],
  ];
  for (const args of cases) assert.equal(util.format(...args), nodeUtil.format(...args), JSON.stringify(String(args)));
  const circular = {};
  circular.self = circular;
  assert.equal(util.format('%j', circular), '[Circular]');
  assert.equal(util.format(1, 2), '1 2');
  assert.equal(util.format('%o', [1]).startsWith('['), true);
});

test('url: invalid input fails as in Node (TypeError, ERR_INVALID_URL)', () => {
  const { URL } = createRuntime().require('url');
  const fail = (Ctor) => { try { new Ctor('not a url'); } catch (e) { return e; } return null; };
  const ours = fail(URL), node = fail(nodeUrl.URL);
  assert.equal(ours.name, node.name);
  assert.equal(ours.message, node.message);
  assert.equal(ours.code, node.code);
  assert.equal(ours.input, node.input);
  assert.equal(new URL('/x', 'https://h/').href, 'https://h/x');
  assert.equal(new URL('https://a.b/c?d=1').searchParams.get('d'), '1');
});

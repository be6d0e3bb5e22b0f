// The `crypto` module: the subset of Node's crypto that functions use (hashes, HMAC, random,
// timingSafeEqual, KeyObject, sign/verify with PEM keys), plus Web Crypto (`globalThis.crypto`).
// Module body; the sixth wrapper argument `native` holds the OpenSSL-backed bindings.
'use strict';
const native = arguments[5];
const { Buffer } = require('buffer');

function toBytes(data, encoding, what = 'data') {
  if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`The "${what}" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${data === null ? 'null' : typeof data}`);
}

function concat(chunks) {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.byteLength; }
  return out;
}

function encodeOutput(ab, encoding) {
  const buf = Buffer.from(ab);
  return encoding && encoding !== 'buffer' ? buf.toString(encoding) : buf;
}

function checkAlgorithm(algorithm) {
  if (typeof algorithm !== 'string') throw new TypeError('The "algorithm" argument must be of type string');
  if (!native.hasDigest(algorithm)) {
    const e = new Error(`Digest method not supported: ${algorithm}`);
    e.code = 'ERR_CRYPTO_INVALID_DIGEST';
    throw e;
  }
  return algorithm;
}

class Hash {
  #alg; #chunks = []; #done = false;
  constructor(algorithm) { this.#alg = checkAlgorithm(algorithm); }
  update(data, inputEncoding) {
    if (this.#done) throw new Error('Digest already called');
    this.#chunks.push(toBytes(data, inputEncoding));
    return this;
  }
  digest(encoding) {
    if (this.#done) throw new Error('Digest already called');
    this.#done = true;
    return encodeOutput(native.digest(this.#alg, concat(this.#chunks)), encoding);
  }
  copy() {
    const h = new Hash(this.#alg);
    for (const c of this.#chunks) h.update(c);
    return h;
  }
}

class KeyObject {
  #type; #material; #info;
  constructor(type, material, info = {}) {
    this.#type = type; this.#material = material; this.#info = info;
  }
  get type() { return this.#type; }
  get symmetricKeySize() { return this.#type === 'secret' ? this.#material.byteLength : undefined; }
  get asymmetricKeyType() { return this.#info.asymmetricKeyType; }
  get asymmetricKeyDetails() { return this.#info.details; }
  export(options) {
    if (this.#type === 'secret') return Buffer.from(this.#material);
    return this.#info.pem;
  }
  equals(other) {
    return other instanceof KeyObject && other.type === this.type &&
      native.timingSafeEqual(toBytes(this.#material), toBytes(other._material()));
  }
  _material() { return this.#material; }
}

function createSecretKey(key, encoding) {
  return new KeyObject('secret', Buffer.from(toBytes(key, encoding, 'key')));
}

function pemOf(key) {
  if (key instanceof KeyObject) return key.type === 'secret' ? null : key._material();
  if (typeof key === 'string') return key;
  if (key && typeof key === 'object' && !ArrayBuffer.isView(key)) {
    if (key.format && key.format !== 'pem') throw new Error(`Key format ${key.format} is not supported; use PEM`);
    return pemOf(key.key);
  }
  if (ArrayBuffer.isView(key)) return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
  throw new TypeError('The "key" argument must be a PEM string, a Buffer or a KeyObject');
}

function createAsymmetricKey(kind, key) {
  if (key instanceof KeyObject) {
    if (kind === 'public' && key.type === 'private') return createAsymmetricKey('public', key._material());
    return key;
  }
  const pem = pemOf(key);
  const info = native.inspectKey(pem, kind); // throws on anything that is not a PEM key
  return new KeyObject(kind, pem, { pem: info.pem, asymmetricKeyType: info.asymmetricKeyType });
}
const createPrivateKey = (key) => createAsymmetricKey('private', key);
const createPublicKey = (key) => createAsymmetricKey('public', key);

function hmacKeyBytes(key) {
  if (key instanceof KeyObject) {
    if (key.type !== 'secret') throw new TypeError('Invalid key object type ' + key.type + ', expected secret.');
    return toBytes(key._material());
  }
  return toBytes(key, 'utf8', 'key');
}

class Hmac {
  #alg; #key; #chunks = []; #done = false;
  constructor(algorithm, key) {
    this.#alg = checkAlgorithm(algorithm);
    this.#key = hmacKeyBytes(key);
  }
  update(data, inputEncoding) {
    if (this.#done) throw new Error('Digest already called');
    this.#chunks.push(toBytes(data, inputEncoding));
    return this;
  }
  digest(encoding) {
    if (this.#done) throw new Error('Digest already called');
    this.#done = true;
    return encodeOutput(native.hmac(this.#alg, this.#key, concat(this.#chunks)), encoding);
  }
}

function normaliseSignAlgorithm(algorithm) {
  const a = String(algorithm).toLowerCase().replace(/^rsa-/, '');
  return a;
}

class Sign {
  #alg; #chunks = [];
  constructor(algorithm) { this.#alg = normaliseSignAlgorithm(algorithm); checkAlgorithm(this.#alg); }
  update(data, enc) { this.#chunks.push(toBytes(data, enc)); return this; }
  end(data, enc) { if (data !== undefined) this.update(data, enc); return this; }
  sign(key, outputEncoding) {
    const pem = pemOf(key instanceof KeyObject ? key : (key && key.key !== undefined && !ArrayBuffer.isView(key) ? key.key : key));
    const padding = key && typeof key === 'object' && !ArrayBuffer.isView(key) ? key.padding : undefined;
    const saltLength = key && typeof key === 'object' && !ArrayBuffer.isView(key) ? key.saltLength : undefined;
    const dsaEncoding = key && typeof key === 'object' && !ArrayBuffer.isView(key) ? key.dsaEncoding : undefined;
    const sig = native.sign(this.#alg, pem, concat(this.#chunks), padding === 6 /* RSA_PKCS1_PSS_PADDING */,
      saltLength === undefined ? -1 : saltLength, dsaEncoding === 'ieee-p1363');
    return encodeOutput(sig, outputEncoding);
  }
}

class Verify {
  #alg; #chunks = [];
  constructor(algorithm) { this.#alg = normaliseSignAlgorithm(algorithm); checkAlgorithm(this.#alg); }
  update(data, enc) { this.#chunks.push(toBytes(data, enc)); return this; }
  end(data, enc) { if (data !== undefined) this.update(data, enc); return this; }
  verify(key, signature, signatureEncoding) {
    const isOpts = key && typeof key === 'object' && !ArrayBuffer.isView(key) && !(key instanceof KeyObject);
    let pem = pemOf(isOpts ? key.key : key);
    if (key instanceof KeyObject && key.type === 'private') pem = key._material();
    return native.verify(this.#alg, pem, concat(this.#chunks), toBytes(signature, signatureEncoding, 'signature'),
      isOpts && key.padding === 6, isOpts && key.saltLength !== undefined ? key.saltLength : -1,
      isOpts && key.dsaEncoding === 'ieee-p1363');
  }
}

function randomBytes(size, callback) {
  if (!Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
    throw new RangeError('The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ' + size);
  }
  const buf = Buffer.alloc(size);
  native.randomFill(buf);
  if (typeof callback === 'function') { queueMicrotask(() => callback(null, buf)); return undefined; }
  return buf;
}

function randomFillSync(buf, offset = 0, size) {
  const view = toBytes(buf);
  const end = size === undefined ? view.byteLength : offset + size;
  native.randomFill(view.subarray(offset, end));
  return buf;
}

function randomInt(min, max, callback) {
  if (max === undefined || typeof max === 'function') { callback = max; max = min; min = 0; }
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min) {
    throw new RangeError('The "max" argument must be greater than "min" and both safe integers');
  }
  const range = max - min;
  const limit = Math.floor(2 ** 48 / range) * range;
  let x;
  const b = new Uint8Array(6);
  do { native.randomFill(b); x = b.reduce((acc, v) => acc * 256 + v, 0); } while (x >= limit);
  const r = min + (x % range);
  if (typeof callback === 'function') { queueMicrotask(() => callback(null, r)); return undefined; }
  return r;
}

function randomUUID() {
  const b = new Uint8Array(16);
  native.randomFill(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function getRandomValues(array) {
  if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
    const e = new TypeError("The data argument must be an integer-type TypedArray");
    e.name = 'TypeMismatchError';
    throw e;
  }
  if (array.byteLength > 65536) {
    const e = new Error(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`);
    e.name = 'QuotaExceededError';
    throw e;
  }
  native.randomFill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return array;
}

function timingSafeEqual(a, b) {
  const x = toBytes(a, undefined, 'buf1'), y = toBytes(b, undefined, 'buf2');
  if (x.byteLength !== y.byteLength) {
    const e = new RangeError('Input buffers must have the same byte length');
    e.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
    throw e;
  }
  return native.timingSafeEqual(x, y);
}

// ---- Web Crypto (subset: digest, HMAC import/sign/verify/export) ---------------------------
const WEB_HASHES = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function webHash(alg) {
  const name = typeof alg === 'string' ? alg : alg && alg.name;
  const h = WEB_HASHES[String(name).toUpperCase()];
  if (!h) throw domError('NotSupportedError', `Unrecognized algorithm name: ${name}`);
  return h;
}

function domError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

class CryptoKey {
  #material;
  constructor(algorithm, extractable, usages, material) {
    this.type = 'secret';
    this.algorithm = algorithm;
    this.extractable = extractable;
    this.usages = usages;
    this.#material = material;
  }
  _material() { return this.#material; }
}

const subtle = {
  async digest(algorithm, data) {
    return native.digest(webHash(algorithm), toBytes(data));
  },
  async importKey(format, keyData, algorithm, extractable, usages) {
    const name = typeof algorithm === 'string' ? algorithm : algorithm && algorithm.name;
    if (String(name).toUpperCase() !== 'HMAC') throw domError('NotSupportedError', `Algorithm ${name} is not supported; Parley's Web Crypto supports HMAC keys`);
    if (format !== 'raw') throw domError('NotSupportedError', `Key format ${format} is not supported for HMAC; use "raw"`);
    const hash = webHash(algorithm.hash);
    const material = new Uint8Array(toBytes(keyData));
    return new CryptoKey({ name: 'HMAC', hash: { name: algorithm.hash.name || algorithm.hash }, length: material.byteLength * 8 },
      Boolean(extractable), Array.from(usages || []), { hash, bytes: material });
  },
  async exportKey(format, key) {
    if (!(key instanceof CryptoKey)) throw new TypeError('key must be a CryptoKey');
    if (!key.extractable) throw domError('InvalidAccessError', 'key is not extractable');
    if (format !== 'raw') throw domError('NotSupportedError', `Key format ${format} is not supported`);
    return key._material().bytes.slice().buffer;
  },
  async sign(algorithm, key, data) {
    if (!(key instanceof CryptoKey)) throw new TypeError('key must be a CryptoKey');
    if (!key.usages.includes('sign')) throw domError('InvalidAccessError', 'key does not allow "sign"');
    const m = key._material();
    return native.hmac(m.hash, m.bytes, toBytes(data));
  },
  async verify(algorithm, key, signature, data) {
    if (!(key instanceof CryptoKey)) throw new TypeError('key must be a CryptoKey');
    if (!key.usages.includes('verify')) throw domError('InvalidAccessError', 'key does not allow "verify"');
    const m = key._material();
    const expected = new Uint8Array(native.hmac(m.hash, m.bytes, toBytes(data)));
    const sig = toBytes(signature);
    return sig.byteLength === expected.byteLength && native.timingSafeEqual(sig, expected);
  },
};

const webcrypto = { getRandomValues, randomUUID, subtle, CryptoKey };

module.exports = {
  createHash: (algorithm) => new Hash(algorithm),
  createHmac: (algorithm, key) => new Hmac(algorithm, key),
  createSign: (algorithm) => new Sign(algorithm),
  createVerify: (algorithm) => new Verify(algorithm),
  createSecretKey, createPrivateKey, createPublicKey, KeyObject,
  randomBytes, randomFillSync, randomInt, randomUUID, getRandomValues, timingSafeEqual,
  getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha3-512'],
  constants: { RSA_PKCS1_PADDING: 1, RSA_PKCS1_PSS_PADDING: 6 },
  webcrypto,
  subtle,
  Hash, Hmac,
};

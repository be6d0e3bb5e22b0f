// TextEncoder / TextDecoder (UTF-8, UTF-16LE, latin1) and atob / btoa.
// Module body; the sixth wrapper argument `native` holds the C++ bindings.
'use strict';
const native = arguments[5];

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') { return native.utf8Encode(String(input)); }
  encodeInto(src, dest) {
    if (!(dest instanceof Uint8Array)) throw new TypeError('The "dest" argument must be an instance of Uint8Array');
    const [read, written] = native.utf8EncodeInto(String(src), dest);
    return { read, written };
  }
}

const LABELS = {
  'utf-8': 'utf-8', utf8: 'utf-8', 'unicode-1-1-utf-8': 'utf-8',
  'utf-16le': 'utf-16le', 'utf-16': 'utf-16le',
  latin1: 'latin1', 'iso-8859-1': 'latin1', ascii: 'latin1', 'us-ascii': 'latin1', 'windows-1252': 'latin1',
};

function toBytes(input) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer)) {
    return new Uint8Array(input);
  }
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
}

class TextDecoder {
  #encoding; #fatal; #ignoreBOM;
  constructor(label = 'utf-8', options = {}) {
    const enc = LABELS[String(label).trim().toLowerCase()];
    if (!enc) throw new RangeError(`The "${label}" encoding is not supported`);
    this.#encoding = enc;
    this.#fatal = Boolean(options && options.fatal);
    this.#ignoreBOM = Boolean(options && options.ignoreBOM);
  }
  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
  decode(input, options) {
    const bytes = toBytes(input);
    if (this.#encoding === 'utf-8') {
      try {
        return native.utf8Decode(bytes, this.#fatal, this.#ignoreBOM);
      } catch (e) {
        // Node's code for a fatal decoder's error, which functions may test for.
        if (this.#fatal && e instanceof TypeError) e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
        throw e;
      }
    }
    if (this.#encoding === 'latin1') {
      let s = '';
      for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
      return s;
    }
    let s = '';
    let start = 0;
    if (!this.#ignoreBOM && bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) start = 2;
    for (let i = start; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
    return s;
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

function invalidCharacter(message) {
  const e = new Error(message);
  e.name = 'InvalidCharacterError';
  return e;
}

function btoa(data) {
  if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
  const s = String(data);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
    if (a > 255 || b > 255 || c > 255) throw invalidCharacter('Invalid character: btoa() accepts only Latin-1 strings');
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[n >> 18] + B64[(n >> 12) & 63] +
      (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < s.length ? B64[n & 63] : '=');
  }
  return out;
}

function atob(data) {
  if (arguments.length === 0) throw new TypeError('The "data" argument must be specified');
  let s = String(data).replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) {
    throw invalidCharacter('The string to be decoded is not correctly encoded.');
  }
  let out = '';
  let buffer = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    buffer = (buffer << 6) | B64_INDEX[s.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 255);
    }
  }
  return out;
}

module.exports = { TextEncoder, TextDecoder, atob, btoa };

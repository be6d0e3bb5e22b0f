'use strict';
// util.isDeepStrictEqual, following the rules of Node's assert.deepStrictEqual:
// primitives by Object.is, same prototype and [[Class]], same own enumerable keys (symbols
// included), Map/Set contents regardless of order, typed arrays by bytes, and cycles allowed.

const { getPrototypeOf, keys: objectKeys, getOwnPropertySymbols } = Object;
const toTag = (v) => Object.prototype.toString.call(v);
const isEnumerable = (obj, key) => Object.prototype.propertyIsEnumerable.call(obj, key);

function ownKeys(obj) {
  return objectKeys(obj).concat(getOwnPropertySymbols(obj).filter((s) => isEnumerable(obj, s)));
}

function isDeepStrictEqual(a, b) {
  return equal(a, b, new Map());
}

function equal(a, b, memo) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // Functions and symbols compare by identity, like everything non-object.
    return false;
  }
  if (getPrototypeOf(a) !== getPrototypeOf(b)) return false;
  const tag = toTag(a);
  if (tag !== toTag(b)) return false;

  // Cycles: a pair already under comparison further up is assumed equal (as Node does). The
  // pair is removed again afterwards, so a failed comparison is never remembered as a match.
  let seen = memo.get(a);
  if (seen && seen.has(b)) return true;
  if (!seen) memo.set(a, (seen = new Set()));
  seen.add(b);
  try {
    return objectsEqual(a, b, tag, memo);
  } finally {
    seen.delete(b);
  }
}

function objectsEqual(a, b, tag, memo) {
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!sameBytes(a, b)) return false;
    // Index keys were compared as bytes; compare the other own keys below.
    return keysEqual(a, b, memo, (k) => typeof k === 'symbol' || !/^\d+$/.test(k));
  } else if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    if (!sameBytes(new Uint8Array(a), new Uint8Array(b))) return false;
  } else if (tag === '[object Date]') {
    if (!Object.is(a.getTime(), b.getTime())) return false;
  } else if (tag === '[object RegExp]') {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error || tag === '[object Error]') {
    // message and name are usually not enumerable but still count.
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (tag === '[object Number]' || tag === '[object String]' ||
             tag === '[object Boolean]' || tag === '[object BigInt]' || tag === '[object Symbol]') {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  } else if (tag === '[object WeakMap]' || tag === '[object WeakSet]' || tag === '[object Promise]') {
    return false; // contents cannot be compared; only identical objects are equal
  } else if (tag === '[object Map]') {
    if (!mapsEqual(a, b, memo)) return false;
  } else if (tag === '[object Set]') {
    if (!setsEqual(a, b, memo)) return false;
  }
  return keysEqual(a, b, memo, () => true);
}

function keysEqual(a, b, memo, include) {
  const ka = ownKeys(a).filter(include);
  const kb = ownKeys(b).filter(include);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !isEnumerable(b, k)) return false;
    if (!equal(a[k], b[k], memo)) return false;
  }
  return true;
}

function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer || a, a.byteOffset || 0, a.byteLength);
  const y = new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function setsEqual(a, b, memo) {
  if (a.size !== b.size) return false;
  // Primitives must be present as-is; object members need a deep match, each used once.
  const pending = [];
  for (const v of a) {
    if (typeof v === 'object' && v !== null) pending.push(v);
    else if (!b.has(v)) return false;
  }
  if (pending.length === 0) return true;
  const candidates = [...b].filter((v) => typeof v === 'object' && v !== null);
  return matchAll(pending, candidates, (x, y) => equal(x, y, memo));
}

function mapsEqual(a, b, memo) {
  if (a.size !== b.size) return false;
  const pending = [];
  for (const [k, v] of a) {
    if (typeof k === 'object' && k !== null) pending.push([k, v]);
    else if (!b.has(k) || !equal(v, b.get(k), memo)) return false;
  }
  if (pending.length === 0) return true;
  const candidates = [...b].filter(([k]) => typeof k === 'object' && k !== null);
  return matchAll(pending, candidates, ([k1, v1], [k2, v2]) => equal(k1, k2, memo) && equal(v1, v2, memo));
}

// Greedy one-to-one matching (O(n*m)), which is what Node does for object keys too.
function matchAll(left, right, eq) {
  if (left.length !== right.length) return false;
  const used = new Array(right.length).fill(false);
  outer: for (const x of left) {
    for (let i = 0; i < right.length; i++) {
      if (!used[i] && eq(x, right[i])) {
        used[i] = true;
        continue outer;
      }
    }
    return false;
  }
  return true;
}

module.exports = isDeepStrictEqual;

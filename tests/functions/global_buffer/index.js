async function lambda(input) {
  const b = Buffer.from('hello');
  return {
    isGlobal: typeof Buffer === 'function' && Buffer === require('buffer').Buffer,
    base64: b.toString('base64'),
    hex: b.toString('hex'),
    fromBase64: Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString('utf8'),
    fromHex: Buffer.from('68656c6c6f', 'hex').toString(),
    byteLength: Buffer.byteLength('€'),
    concat: Buffer.concat([Buffer.from('ab'), Buffer.alloc(2, 'c')]).toString(),
    isBuffer: Buffer.isBuffer(b) && b instanceof Uint8Array,
    equals: b.equals(Buffer.from([104, 101, 108, 108, 111])),
    json: b.toJSON(),
    slice: b.subarray(1, 3).toString(),
    readUInt32BE: Buffer.from([0, 0, 1, 0]).readUInt32BE(0),
  };
}

const crypto = require('crypto');

async function lambda(input) {
  const text = 'The quick brown fox jumps over the lazy dog';
  const out = {};
  for (const alg of ['md5', 'sha1', 'sha256']) {
    out[alg] = {
      hex: crypto.createHash(alg).update(text).digest('hex'),
      base64: crypto.createHash(alg).update(text).digest('base64'),
    };
  }
  out.chunked = crypto.createHash('sha256').update('The quick brown fox ').update(Buffer.from('jumps over the lazy dog'))
    .digest('hex') === out.sha256.hex;
  out.bufferDigest = Buffer.isBuffer(crypto.createHash('md5').update(text).digest());
  out.base64url = crypto.createHash('sha256').update(new Uint8Array([1, 2, 3])).digest('base64url');
  return out;
}

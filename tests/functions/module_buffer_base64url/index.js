// Buffer's 'base64url' encoding (Node ≥ 15.7), also through crypto digests.
const crypto = require('crypto');
async function lambda(input) {
  const b = Buffer.from([0xfb, 0xff, 0xbf, 0x3e, 0x3f]);
  return {
    encoded: b.toString('base64url'),
    decoded: [...Buffer.from('-_-_Pj8', 'base64url')],
    length: Buffer.byteLength('-_-_Pj8', 'base64url'),
    known: Buffer.isEncoding('base64url'),
    digest: crypto.createHash('sha256').update('abc').digest('base64url'),
  };
}

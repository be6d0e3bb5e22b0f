const crypto = require('crypto');

async function lambda(input) {
  return {
    digest: crypto.createHash('sha256').update('abc').digest('base64url'),
    hmac: crypto.createHmac('sha256', 'key').update('abc').digest('base64url'),
    input: crypto.createHash('md5').update('-__-', 'base64url').digest('hex'),
  };
}

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

async function lambda(input) {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode('key'), { name: 'HMAC', hash: 'SHA-256' },
    false, ['sign', 'verify']);
  const data = enc.encode('The quick brown fox jumps over the lazy dog');
  const signature = await crypto.subtle.sign('HMAC', key, data);
  const tampered = new Uint8Array(signature).slice();
  tampered[0] ^= 1;
  return {
    keyType: key.type,
    algorithm: key.algorithm.name,
    signature: hex(signature),
    verified: await crypto.subtle.verify('HMAC', key, signature, data),
    tamperedVerified: await crypto.subtle.verify('HMAC', key, tampered, data),
    otherDataVerified: await crypto.subtle.verify('HMAC', key, signature, enc.encode('other')),
  };
}

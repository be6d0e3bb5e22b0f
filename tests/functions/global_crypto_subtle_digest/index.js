const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

async function lambda(input) {
  const data = new TextEncoder().encode('abc');
  const sha256 = await crypto.subtle.digest('SHA-256', data);
  return {
    isArrayBuffer: sha256 instanceof ArrayBuffer,
    sha1: hex(await crypto.subtle.digest('SHA-1', data)),
    sha256: hex(sha256),
    sha384Length: (await crypto.subtle.digest({ name: 'SHA-384' }, data)).byteLength,
    sha512: hex(await crypto.subtle.digest('SHA-512', data.buffer)).slice(0, 32),
  };
}

import { createHmac } from 'node:crypto';

export async function lambda(input) {
  return {
    sha256: createHmac('sha256', 'key').update('The quick brown fox ').update('jumps over the lazy dog').digest('hex'),
    sha1Base64: createHmac('sha1', Buffer.from('key')).update('The quick brown fox jumps over the lazy dog').digest('base64'),
  };
}

const { timingSafeEqual } = require('crypto');

async function lambda(input) {
  return {
    equal: timingSafeEqual(Buffer.from('secret'), Buffer.from('secret')),
    different: timingSafeEqual(Buffer.from('secret'), Buffer.from('Secret')),
    typedArrays: timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])),
  };
}

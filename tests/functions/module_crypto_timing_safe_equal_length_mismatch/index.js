const { timingSafeEqual } = require('crypto');

async function lambda(input) {
  try {
    timingSafeEqual(Buffer.from('a'), Buffer.from('ab'));
    return 'no error';
  } catch (e) {
    return { name: e.name, code: e.code, message: e.message };
  }
}

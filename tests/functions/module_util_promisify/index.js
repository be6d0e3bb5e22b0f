const { promisify } = require('node:util');

function legacy(a, b, cb) {
  setTimeout(() => (a < 0 ? cb(new Error('negative')) : cb(null, a + b)), 1);
}

async function lambda(input) {
  const p = promisify(legacy);
  const sum = await p(2, 3);
  let error;
  try { await p(-1, 0); } catch (e) { error = e.message; }
  const sleep = promisify(setTimeout);
  const slept = await sleep(1, 'woke');
  return { sum, error, slept };
}

async function lambda(input) {
  const e = new TypeError('bad value');
  e.code = 'E_BAD';
  console.error('failed', e);
  return 'ok';
}

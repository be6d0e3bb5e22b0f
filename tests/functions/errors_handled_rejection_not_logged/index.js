// A rejection whose handler is attached later in the same turn is not reported.
async function lambda(input) {
  const p = Promise.reject(new Error('handled later'));
  await null;
  const outcome = await p.then(() => 'no', (e) => e.message);
  return outcome;
}

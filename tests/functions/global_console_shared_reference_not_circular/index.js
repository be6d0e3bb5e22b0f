// The same object twice (not a cycle) is logged twice, not as "[Circular]".
async function lambda(input) {
  const shared = { id: 1 };
  console.log('shared', { a: shared, b: shared }, shared);
  return 'ok';
}

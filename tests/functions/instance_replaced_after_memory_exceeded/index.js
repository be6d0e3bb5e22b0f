// An instance that ran out of memory is discarded: the next invocation starts a fresh one
// (a cold start), which runs out of memory in its turn.
async function lambda(input) {
  new ArrayBuffer(2 ** 31);
  return 'unreachable';
}

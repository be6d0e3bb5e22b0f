// Catching the failed allocation does not save the invocation: the memory limit was hit.
async function lambda(input) {
  try {
    new Uint8Array(2 ** 30);
  } catch (e) {
    return `survived: ${e.name}`;
  }
  return 'allocated';
}

// Catching every error does not catch the termination.
async function lambda(input) {
  while (true) {
    try {
      null.x;
    } catch (e) {
      // swallowed
    } finally {
      continue;
    }
  }
}

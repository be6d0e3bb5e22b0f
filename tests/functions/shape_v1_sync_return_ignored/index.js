// V1: a plain (non-async) function that returns a value and calls back later.
function lambda(input, callback) {
  setTimeout(() => callback(null, { from: 'callback' }), 1);
  return { from: 'return' };
}

// V1: only the callback's value counts; what the (async) function returns is ignored.
async function lambda(input, callback) {
  setTimeout(() => callback(null, 'from the callback'), 10);
  return 'the returned value is ignored';
}

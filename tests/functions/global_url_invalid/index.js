// new URL() with unparsable input throws Node's error: TypeError 'Invalid URL', ERR_INVALID_URL.
async function lambda(input) {
  try {
    new URL(input.payload.url);
    return 'parsed';
  } catch (e) {
    return { name: e.name, message: e.message, code: e.code, input: e.input, isTypeError: e instanceof TypeError };
  }
}

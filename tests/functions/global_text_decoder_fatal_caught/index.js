async function lambda(input) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff]));
    return 'no error';
  } catch (e) {
    return { name: e.name, code: e.code, isTypeError: e instanceof TypeError };
  }
}

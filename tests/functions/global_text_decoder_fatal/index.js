// A fatal decoder throws a TypeError on invalid UTF-8; uncaught, that is a runtime exception.
async function lambda(input) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return decoder.decode(new Uint8Array([0x61, 0xc3, 0x28]));
}

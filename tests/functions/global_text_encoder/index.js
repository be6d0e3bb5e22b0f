async function lambda(input) {
  const enc = new TextEncoder();
  const bytes = enc.encode('héllo €😀');
  const dest = new Uint8Array(4);
  const into = enc.encodeInto('€uro', dest);
  const dec = new TextDecoder();
  return {
    encoding: enc.encoding,
    bytes: Array.from(bytes),
    isUint8Array: bytes instanceof Uint8Array,
    into, dest: Array.from(dest),
    roundTrip: dec.decode(bytes),
    decoderEncoding: dec.encoding,
    fromArrayBuffer: dec.decode(new Uint8Array([104, 105]).buffer),
    replacement: dec.decode(new Uint8Array([0x61, 0xff, 0x62])),
    utf16le: new TextDecoder('utf-16le').decode(new Uint8Array([0x68, 0x00, 0x69, 0x00])),
    latin1: new TextDecoder('latin1').decode(new Uint8Array([0x63, 0x61, 0x66, 0xe9])),
    bom: dec.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])),
    empty: dec.decode(),
  };
}

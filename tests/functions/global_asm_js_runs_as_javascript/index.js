// An asm.js module ("use asm") runs as ordinary JavaScript: WebAssembly is not exposed and
// asm.js is not translated to it, with the same results.
function AsmSum(stdlib, foreign, heap) {
  'use asm';
  var values = new stdlib.Int32Array(heap);
  function sum(n) {
    n = n | 0;
    var i = 0, total = 0;
    for (i = 0; (i | 0) < (n | 0); i = (i + 1) | 0) {
      total = (total + (values[i << 2 >> 2] | 0)) | 0;
    }
    return total | 0;
  }
  return { sum: sum };
}

async function lambda(input) {
  const heap = new ArrayBuffer(0x10000);
  const view = new Int32Array(heap);
  for (let i = 0; i < input.payload.n; i++) view[i] = i * 3;
  const m = AsmSum(globalThis, {}, heap);
  return { sum: m.sum(input.payload.n), webAssembly: typeof WebAssembly };
}

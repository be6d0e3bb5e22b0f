// ArrayBuffer memory counts: many 8 MiB buffers, each under the limit, go over it together.
async function lambda(input) {
  const kept = [];
  for (let i = 0; i < 100; i++) kept.push(Buffer.alloc(8 << 20, 1));
  return kept.length;
}

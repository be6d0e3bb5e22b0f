async function lambda(input) {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const words = crypto.getRandomValues(new Uint32Array(4));
  const uuids = new Set(Array.from({ length: 100 }, () => crypto.randomUUID()));
  const errors = [];
  try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { errors.push(e.name); }
  try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { errors.push(e.name); }
  return {
    sameArray: crypto.getRandomValues(bytes) === bytes,
    notAllZero: bytes.some((b) => b !== 0) && words.some((w) => w !== 0),
    uuidsDistinct: uuids.size === 100,
    uuidV4: [...uuids].every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)),
    errors,
  };
}

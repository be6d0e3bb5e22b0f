// 100 characters, 300 UTF-8 bytes: over a 256-byte limit.
async function lambda(input) {
  return '€'.repeat(100);
}

// Exactly at the limit is fine: the JSON text "xxx…" is 256 bytes with its quotes.
async function lambda(input) {
  return 'x'.repeat(254);
}

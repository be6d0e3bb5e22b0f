// Going over the log limit cannot be caught.
async function lambda(input) {
  for (let i = 0; i < 1000; i++) {
    try { console.log(i); } catch (e) { /* swallowed */ }
  }
  return 'survived';
}

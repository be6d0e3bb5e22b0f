// A 100 MiB string result. Expected: result-too-large (the string is longer than the 6 MiB
// default limit, which is checked before serialising it); 'x'.repeat builds it cheaply, well
// within the 128 MiB memory limit.
async function lambda(input) {
  return 'x'.repeat(100 * 1024 * 1024);
}

async function lambda() {
  return 'no parameters';
}

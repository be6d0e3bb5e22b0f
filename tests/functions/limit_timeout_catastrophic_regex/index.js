async function lambda(input) {
  return /(a+)+b/.test('a'.repeat(40));
}

async function lambda(input) {
  const add = new Function('a', 'b', 'return a + b');
  return add(1, 2);
}

async function lambda(input) {
  return eval('1 + 1');
}

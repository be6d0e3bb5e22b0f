function depth(n) {
  return depth(n + 1) + 1;
}

async function lambda(input) {
  return depth(0);
}

async function lambda(input) {
  while (true) {}
}

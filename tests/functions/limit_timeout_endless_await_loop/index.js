async function lambda(input) {
  for (;;) {
    await null;
  }
}

async function lambda(input) {
  return input.payload;
}

async function lambda(input) {
  return input.headers;
}

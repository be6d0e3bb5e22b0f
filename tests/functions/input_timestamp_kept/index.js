async function lambda(input) {
  return input.timestamp;
}

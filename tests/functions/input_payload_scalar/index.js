async function lambda(input) {
  return [typeof input.payload, input.payload];
}

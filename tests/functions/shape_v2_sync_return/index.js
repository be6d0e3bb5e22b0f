function lambda(input) {
  return ['sync', typeof input.payload];
}

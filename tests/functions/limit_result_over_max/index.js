async function lambda(input) {
  return { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}` })) };
}

async function lambda(input) {
  console.info('returns nothing');
}

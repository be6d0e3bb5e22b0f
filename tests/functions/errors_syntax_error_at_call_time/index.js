async function lambda(input) {
  return JSON.parse('{not json');
}

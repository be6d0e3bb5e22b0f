async function lambda(input) {
  const result = { name: 'loop' };
  result.self = result;
  return result;
}

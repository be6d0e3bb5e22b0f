async function lambda(input) {
  throw new Error('Something went wrong');
}

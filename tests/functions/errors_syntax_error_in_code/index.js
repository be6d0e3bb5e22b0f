async function lambda(input) {
  return { a: 1,, };
}

async function lambda(input) {
  return { isArray: Array.isArray(input.headers), headers: input.headers };
}

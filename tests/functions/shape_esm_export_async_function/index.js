export async function lambda(input) {
  return { esm: true, payload: input.payload };
}

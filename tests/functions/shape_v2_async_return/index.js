async function lambda(input) {
  const doubled = await Promise.all([1, 2, 3].map(async (n) => n * 2));
  return { doubled, payload: input.payload };
}

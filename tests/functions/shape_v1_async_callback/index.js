async function lambda(input, callback) {
  const n = await Promise.resolve(41);
  await new Promise((resolve) => setTimeout(resolve, 5));
  callback(null, n + 1);
}

async function lambda(input) {
  await new Promise((resolve) => setTimeout(resolve, 60000));
  return 'unreachable';
}

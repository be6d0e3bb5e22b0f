async function lambda(input) {
  process.nextTick(() => {
    null.boom;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  return 'too late';
}

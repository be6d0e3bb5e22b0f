// Each microtask queues the next: the microtask queue never drains and nothing else can run.
async function lambda(input) {
  let turns = 0;
  const spin = () => Promise.resolve().then(() => {
    turns += 1;
    return spin();
  });
  await spin();
  return turns;
}

// process.nextTick runs its callback (with its arguments) before any timer.
function lambda(input, callback) {
  const order = [];
  setTimeout(() => order.push('timeout'), 0);
  process.nextTick((a, b) => order.push(`tick ${a} ${b}`), 'with', 'args');
  order.push('sync');
  setTimeout(() => callback(null, order), 5);
}

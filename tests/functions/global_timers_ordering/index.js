function lambda(input, callback) {
  const order = [];
  setTimeout(() => order.push('timeout 100'), 100);
  setTimeout((a, b) => order.push(`timeout 0 ${a} ${b}`), 0, 'with', 'args');
  setImmediate(() => order.push('immediate'));
  queueMicrotask(() => order.push('microtask'));
  Promise.resolve().then(() => order.push('promise'));
  order.push('sync');
  const cancelled = setTimeout(() => order.push('cancelled timeout'), 5);
  clearTimeout(cancelled);
  const cancelledImmediate = setImmediate(() => order.push('cancelled immediate'));
  clearImmediate(cancelledImmediate);
  let ticks = 0;
  const interval = setInterval(() => {
    order.push(`interval ${++ticks}`);
    if (ticks === 3) clearInterval(interval);
  }, 1);
  setTimeout(() => callback(null, order), 150);
}

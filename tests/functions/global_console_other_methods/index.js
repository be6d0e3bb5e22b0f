// The rest of Node's console: trace is Debug, dir/table are Info, assert logs an Error when false,
// timers and groups are accepted (and log nothing).
async function lambda(input) {
  console.trace('tracing');
  console.dir({ a: 1 });
  console.table([1, 2]);
  console.assert(true, 'not logged');
  console.assert(false, 'expected %s', 'truth');
  console.time('t');
  console.timeEnd('t');
  console.group('g');
  console.groupEnd();
  console.count();
  return 'ok';
}

// What the top level logs while loading is reported with the first invocation.
console.info('loading the function');

async function lambda(input) {
  console.info('running');
  return 'ok';
}

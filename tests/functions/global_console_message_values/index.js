// The first argument is the message: strings as they are, objects as JSON, the rest as text.
async function lambda(input) {
  console.log({ a: 1, b: [true, null] });
  console.log(42);
  console.log();
  console.log(undefined);
  console.log(null);
  console.log(['x', 2]);
  console.log(10n, 20n, Symbol('s'), function named() {}, undefined);
  return 'ok';
}

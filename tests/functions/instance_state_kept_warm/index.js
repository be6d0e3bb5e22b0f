// Module state survives between invocations of a warm instance.
let counter = 0;

async function lambda(input) {
  counter += 1;
  return counter;
}

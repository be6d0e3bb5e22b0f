while (true) {}

async function lambda(input) {
  return 'unreachable';
}

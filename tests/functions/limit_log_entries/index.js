async function lambda(input) {
  for (let i = 0; i < 1e6; i++) {
    console.log(`line ${i}`);
  }
  return 'unreachable';
}

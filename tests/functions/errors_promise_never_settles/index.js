// Awaits a promise nothing will ever settle: fails at once, not at the timeout.
async function lambda(input) {
  await new Promise(() => {});
  return 'unreachable';
}

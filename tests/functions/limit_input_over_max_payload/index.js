async function lambda(input) {
  return 'never runs';
}

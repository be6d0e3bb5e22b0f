async function lambda(input) {
  console.log('small');
  console.log('x'.repeat(2000));
  return 'unreachable';
}

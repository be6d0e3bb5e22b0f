async function lambda(input) {
  const error = new Error('logged as the message');
  console.error(error);
  return 'ok';
}

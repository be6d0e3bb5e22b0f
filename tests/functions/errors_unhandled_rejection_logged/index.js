// A promise rejected with nobody listening is reported in the invocation's logs (Node reports
// it too), and does not change the result.
async function lambda(input) {
  Promise.reject('the refresh failed');
  await null;
  return 'done';
}

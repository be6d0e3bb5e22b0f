// The default limit: 100 entries per invocation.
function lambda(input, callback) {
  for (let i = 0; i < 1e6; i++) console.info('entry', i);
  callback(null, 'unreachable');
}

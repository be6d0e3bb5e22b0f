// A non-Error object as the error: its JSON is the message, plus the format warning.
function lambda(input, callback) {
  callback({ status: 404, reason: 'not found' });
}

// Never calls back and leaves nothing to wait for: fails at once, not at the timeout.
function lambda(input, callback) {
  console.info('forgot to call back');
}

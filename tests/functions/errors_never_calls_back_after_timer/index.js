// Waits for a timer, then forgets to call back: fails when the timer has run, not at the timeout.
function lambda(input, callback) {
  setTimeout(() => console.info('timer ran'), 5);
}

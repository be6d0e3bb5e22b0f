// An interval keeps the invocation alive; it never calls back: timeout.
function lambda(input, callback) {
  let n = 0;
  setInterval(() => { n++; }, 10);
}

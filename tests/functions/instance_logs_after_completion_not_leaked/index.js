// A log written after the invocation has ended (here: right after calling back) must not show up
// in the logs of the next invocation.
let n = 0;

function lambda(input, callback) {
  n += 1;
  callback(null, n);
  console.log(`logged after calling back, invocation ${n}`);
}

// A timed-out invocation is stopped; the instance and its state carry on.
let calls = 0;

async function lambda(input) {
  calls += 1;
  if (calls === 1) while (true) {}
  return calls;
}

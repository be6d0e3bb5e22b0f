// An invocation that fails does not cost the instance its state.
let calls = 0;

async function lambda(input) {
  calls += 1;
  if (calls === 1) throw new Error('first call fails');
  if (calls === 2) null.boom;
  return calls;
}

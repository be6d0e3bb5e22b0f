// The refusal is an EvalError the function can catch.
async function lambda(input) {
  const results = [];
  for (const attempt of [() => eval('1'), () => Function('return 1'), () => new (async function () {}).constructor('return 1')]) {
    try { attempt(); results.push('allowed'); } catch (e) { results.push(e instanceof EvalError ? e.name : `other: ${e}`); }
  }
  return results;
}

// FunctionSource.allowCodeGeneration lifts the refusal.
async function lambda(input) {
  return [eval('1 + 1'), new Function('return 3')()];
}

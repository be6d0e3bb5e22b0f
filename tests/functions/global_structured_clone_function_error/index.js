// Functions cannot be cloned: a DataCloneError, as in browsers and Node.
async function lambda(input) {
  try {
    structuredClone({ f() {} });
    return 'cloned';
  } catch (e) {
    return { name: e.name, message: e.message, code: e.code, isError: e instanceof Error };
  }
}

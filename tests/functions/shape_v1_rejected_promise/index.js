// V1: a rejected returned promise counts as an error even though the callback was never called.
async function lambda(input, callback) {
  await null;
  throw new Error('rejected after an await');
}

// LivePerson maps by the error's class: a TypeError the function throws itself is a runtime exception too.
async function lambda(input) {
  throw new TypeError('payload.id must be a string');
}

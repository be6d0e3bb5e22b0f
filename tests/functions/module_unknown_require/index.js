async function lambda(input) {
  const leftPad = require('left-pad');
  return leftPad('x', 3);
}

const helper = require('./helper');

async function lambda(input) {
  return helper();
}

const axios = require('axios');

async function lambda(input) {
  return 'unreachable';
}

// Every built-in module is the same object with and without the `node:` prefix.
const names = ['crypto', 'buffer', 'url', 'util', 'querystring'];

async function lambda(input) {
  const out = {};
  for (const name of names) {
    const plain = require(name);
    const prefixed = require(`node:${name}`);
    const imported = await import(`node:${name}`);
    out[name] = plain === prefixed && imported.default === plain;
  }
  out.cached = require('lodash') === require('lodash');
  return out;
}

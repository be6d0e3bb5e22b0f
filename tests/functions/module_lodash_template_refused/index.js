// _.template compiles its template with `Function`: refused like eval (code generation from
// strings is off by default).
const _ = require('lodash');

async function lambda(input) {
  return _.template('Hello <%- name %>!')({ name: 'Ada' });
}

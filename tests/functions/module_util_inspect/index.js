const util = require('util');

async function lambda(input) {
  return [
    util.inspect({ a: 1, s: 'str', list: [1, 2], nested: { b: { c: { d: 1 } } } }),
    util.inspect('quoted'),
    util.inspect({ b: { c: { d: 1 } } }, { depth: 0 }),
    util.inspect({ [util.inspect.custom]: () => 'custom!' }),
  ];
}

const _ = require('lodash');

async function lambda(input) {
  return {
    get: _.get({ a: { b: [{ c: 'deep' }] } }, 'a.b[0].c'),
    groupBy: _.groupBy(['one', 'two', 'three'], 'length'),
    camelCase: _.camelCase('Foo Bar-baz'),
    merge: _.merge({ a: { x: 1 } }, { a: { y: 2 } }),
    uniq: _.uniqBy([{ id: 1 }, { id: 1 }, { id: 2 }], 'id'),
    version: _.VERSION,
  };
}

async function lambda(input) {
  const lodash = await import('lodash');
  const crypto = await import('node:crypto');
  return {
    named: lodash.sum([1, 2, 3]),
    viaDefault: lodash.default.max([4, 9, 2]),
    sha1: crypto.createHash('sha1').update('abc').digest('hex'),
  };
}

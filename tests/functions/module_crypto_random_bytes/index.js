const crypto = require('node:crypto');

function lambda(input, callback) {
  const a = crypto.randomBytes(16);
  const b = crypto.randomBytes(16);
  crypto.randomBytes(8, (err, async) => {
    callback(null, {
      isBuffer: Buffer.isBuffer(a),
      length: a.length,
      distinct: !a.equals(b),
      hexLength: crypto.randomBytes(4).toString('hex').length,
      empty: crypto.randomBytes(0).length,
      callbackStyle: err === null && async.length === 8,
    });
  });
}

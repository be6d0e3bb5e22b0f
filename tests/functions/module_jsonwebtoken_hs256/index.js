const jwt = require('jsonwebtoken');

async function lambda(input) {
  const token = jwt.sign({ sub: '1234567890', name: 'Ada' }, 'secret', { noTimestamp: true });
  const timed = jwt.sign({ sub: 'x' }, 'secret', { expiresIn: '1h' });
  const verifiedTimed = jwt.verify(timed, 'secret');
  return {
    token,
    verified: jwt.verify(token, 'secret'),
    header: jwt.decode(token, { complete: true }).header,
    expiresInAnHour: verifiedTimed.exp - verifiedTimed.iat,
  };
}

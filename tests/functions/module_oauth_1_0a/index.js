// The example of RFC 5849 / the OAuth 1.0 spec, with its fixed nonce and timestamp.
const OAuth = require('oauth-1.0a');
const crypto = require('crypto');

async function lambda(input) {
  const oauth = OAuth({
    consumer: { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' },
    signature_method: 'HMAC-SHA1',
    hash_function(base, key) {
      return crypto.createHmac('sha1', key).update(base).digest('base64');
    },
  });
  oauth.getNonce = () => 'kllo9940pd9333jh';
  oauth.getTimeStamp = () => 1191242096;
  const request = {
    url: 'http://photos.example.net/photos',
    method: 'GET',
    data: { file: 'vacation.jpg', size: 'original' },
  };
  const authorization = oauth.authorize(request, { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' });
  return { signature: authorization.oauth_signature, header: oauth.toHeader(authorization).Authorization };
}

// RS256 with a fixed 2048-bit key pair (generated once with `openssl genpkey -algorithm RSA`;
// a test fixture, not a secret). PKCS#1 v1.5 signatures are deterministic: the token is exact.
const jwt = require('jsonwebtoken');
const crypto = require('crypto');

const PRIVATE_KEY = `
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDJRq5z37D/nahu
Z2MqEEvw7H9gLczQC6vLpMYZYD6Nkr/1cY60iGc+TClXB2wgCv8P7Unwxl5sqH9t
yrG0k+NQGPHBaEoqr9QOM4tUENAdpQbWp/XgI3dcPvmjEeCMGnHZDmQtcD5F6k9i
R02gRCL/ADienRBP732JDplbIPHuLiIvb50jQID+M1bvBCIn7sg7P8zVDDSW7MKH
ynRku5b1w0PrGJcHskOb+jabuI+h7bejE3tfhaiPnlKnT6LWLW06KqhGNWHGssJ/
70ve8qxWey3rKxIUSFv+aJNAzcfgLndS+PFa44j8DbGIVy3zqjrxc/ops2dWn/Oc
TsbgDCvZAgMBAAECggEAAXosU5tjsCyXDOBjYO6nsAf8U1ditnAvfZoi/hKvwtg9
4m5H7tlFcLacYxAh4gZSoupJ7aN3E/MUpFilfz7Kn07fj1zVloSd2NDWB/LrpBwO
9cpbyp5YBOxNZr392OlkxoQNhivZuSekF4OQdUmqvBZjU/6xHPUUBcp+o6WVQPtA
Xduu4Efdk+acNLCnQ6KvCEcsPYye9xOeLKgCHIWN53FX+dUDXj9JTY02O5jfGJ3U
JPxYfDMFyAi58BQgdZvl4yK7ZHNcZXbVyFgGKhoObFF1K7THlg5IlQIDR4f26AWh
cHxboDeeMs9dZAVVinm0w65uldgPv253aKXsaC+5tQKBgQDmyc4RwKM1bGSKmtkP
2ttjmV91nHmwa0Y8jzKSQQwglcIXWarZNLZ/GaYWhuZHBBrijBJm5fIk4gJjYZdG
loICcVpz+N3ATOvuIHQHEJuThSnIlM7xzH6nL1pbO+OiK57eJs6Zzv9Ds0x1Ow7E
+5wl1GkSkAXrtPKjBoYSnFgc1wKBgQDfQ4rM3jpgc175aHe8dY1zBdNKmHJPG+fa
cuhfdlutMhn3QIlPg92rlK633fJhXw+iGFcMu9WFPqLeWFBKSzA1i0ckPPmCKuJf
uHdFzbDDdl75NWNr8aML8ETikuOHHA8WLu80pU8GyUDc1BUEetnL/hGugWIf05eU
HdtNfJS2zwKBgAllNcprOTm3i/BIlYWbt0q6t7QmBp4z/8v/WGOz2jaJYjlpIRdu
me9ar/RC0aUaea23XhhqTA1MViSNmIb7IZfP3YrTGtP1TbWIBLE07+B1j1nnFPWr
CYzs1JTaP04e0Hziv45rauDqr7YmDVffll/D4fMrgdIyr54LafHgA4ZJAoGBANhR
TsiUgKc24UxxpaGZnAVYHZJnBkoT1Z7YOsFTohu7MWFYzDGYqEw4cNiBWPhy7Gi3
gJA75fOF7rPTiWeSVhFq8vDviyhNeKwZxKaDVsLri7WVvtC1fK5yi6ujeoRL8Woi
621sxZbjo87SRdLjXObDMkqL3ZDMqE7AZt062bQNAoGABv9lFxy9LJKh7eA83f3Y
MPpBpdQq0MMMjLCJEanQ8IQD+l/pZT2wZFA/ZOeGv+E5JF8ov56KwDviSFUWaPww
3vAnaU6Rw5Wyn1BZLTzBkMssWfjW4iWzA4kNVbi7GQ6MzYMH5Ec6ds0lUngKkJdt
STX53/cuX2SqHBLHtbRgvYM=
-----END PRIVATE KEY-----
`.trim();

const PUBLIC_KEY = `
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyUauc9+w/52obmdjKhBL
8Ox/YC3M0Aury6TGGWA+jZK/9XGOtIhnPkwpVwdsIAr/D+1J8MZebKh/bcqxtJPj
UBjxwWhKKq/UDjOLVBDQHaUG1qf14CN3XD75oxHgjBpx2Q5kLXA+RepPYkdNoEQi
/wA4np0QT+99iQ6ZWyDx7i4iL2+dI0CA/jNW7wQiJ+7IOz/M1Qw0luzCh8p0ZLuW
9cND6xiXB7JDm/o2m7iPoe23oxN7X4Woj55Sp0+i1i1tOiqoRjVhxrLCf+9L3vKs
Vnst6ysSFEhb/miTQM3H4C53UvjxWuOI/A2xiFct86o68XP6KbNnVp/znE7G4Awr
2QIDAQAB
-----END PUBLIC KEY-----
`.trim();

async function lambda(input) {
  const token = jwt.sign({ sub: 'agent-7', scope: 'read' }, PRIVATE_KEY,
    { algorithm: 'RS256', noTimestamp: true, keyid: 'k1' });
  let wrongAlgorithm;
  try { jwt.verify(token, 'secret'); } catch (e) { wrongAlgorithm = `${e.name}: ${e.message}`; }
  let wrongKey;
  try {
    jwt.verify(token.slice(0, -4) + 'AAAA', PUBLIC_KEY, { algorithms: ['RS256'] });
  } catch (e) { wrongKey = `${e.name}: ${e.message}`; }
  return {
    token,
    header: jwt.decode(token, { complete: true }).header,
    verified: jwt.verify(token, PUBLIC_KEY, { algorithms: ['RS256'] }),
    verifiedWithKeyObject: jwt.verify(token, crypto.createPublicKey(PUBLIC_KEY)).sub,
    wrongAlgorithm,
    wrongKey,
  };
}

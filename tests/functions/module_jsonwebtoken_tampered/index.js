// A token whose payload was changed fails verification; uncaught, that is a custom failure.
import jwt from 'jsonwebtoken';

const base64url = (text) => btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

export async function lambda(input) {
  const [header, , signature] = jwt.sign({ sub: '1234567890', name: 'Ada' }, 'secret').split('.');
  const forgedPayload = base64url(JSON.stringify({ sub: '1234567890', name: 'Ada', admin: true }));
  return jwt.verify(`${header}.${forgedPayload}.${signature}`, 'secret');
}

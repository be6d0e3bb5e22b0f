import { Buffer as ImportedBuffer, constants } from 'node:buffer';
const required = require('buffer');

export async function lambda(input) {
  return {
    sameClass: ImportedBuffer === required.Buffer && ImportedBuffer === Buffer,
    base64: ImportedBuffer.from('Parley').toString('base64'),
    hex: required.Buffer.from('Parley', 'utf8').toString('hex'),
    decoded: ImportedBuffer.from('5061726c6579', 'hex').toString('utf8'),
    maxLengthKnown: typeof constants.MAX_LENGTH === 'number',
  };
}

import { sum } from 'lodash';
import * as lodashNamespace from 'lodash';
import { DateTime } from 'luxon';
import { sign, verify } from 'jsonwebtoken';
import { createHash, randomUUID } from 'node:crypto';
import { Buffer as B } from 'buffer';
import { parse } from 'url';
import { format, promisify } from 'node:util';
import { stringify } from 'querystring';
import { chunk } from 'es-toolkit';

export async function lambda(input) {
  return {
    sum: sum([1, 2]),
    namespace: lodashNamespace.default === lodashNamespace.default.noConflict ? 'odd' : typeof lodashNamespace.max,
    year: DateTime.fromISO('1999-12-31').year,
    jwt: verify(sign({ a: 1 }, 'k', { noTimestamp: true }), 'k'),
    sha256: createHash('sha256').update('').digest('hex').slice(0, 8),
    uuid: randomUUID().length,
    buffer: B.from('hi').toString('hex'),
    host: parse('http://example.com/x').host,
    format: format('%s-%s', 1, 2),
    promisify: typeof promisify,
    query: stringify({ a: 1 }),
    chunk: chunk([1, 2, 3], 2),
  };
}

import _ from 'lodash';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';

// Not exported: found because the code declares `lambda` at its top level.
async function lambda(input) {
  return {
    chunks: _.chunk([1, 2, 3, 4, 5], 2),
    year: DateTime.fromISO('2024-03-01T12:00:00Z', { zone: 'utc' }).year,
    md5: createHash('md5').update('abc').digest('hex'),
  };
}

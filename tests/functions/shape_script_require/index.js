const _ = require('lodash');
const { DateTime } = require('luxon');

function lambda(input, callback) {
  callback(null, {
    sum: _.sum([1, 2, 3]),
    date: DateTime.fromISO('2020-01-02', { zone: 'utc' }).toISODate(),
  });
}

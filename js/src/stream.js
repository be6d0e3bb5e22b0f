'use strict';
// Node's `stream` module: stream-browserify, i.e. the legacy Stream class (an EventEmitter with
// pipe()) carrying Readable, Writable, Duplex, Transform, PassThrough, finished and pipeline from
// readable-stream 3. As in Node, the module itself is the Stream constructor.
//
// build.mjs points readable-stream's internal base class at stream-browserify, so
// `new Readable() instanceof Stream` holds as it does in Node. That makes the two modules require
// each other; it works because stream-browserify sets module.exports before it requires
// readable-stream, and because this file requires stream-browserify first.

const Stream = require('stream-browserify');

// require('stream').promises, as in Node >= 15.
function pipeline(...streams) {
  return new Promise((resolve, reject) => {
    Stream.pipeline(...streams, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

function finished(stream, opts) {
  return new Promise((resolve, reject) => {
    Stream.finished(stream, opts || {}, (err) => (err ? reject(err) : resolve()));
  });
}

Stream.promises = { pipeline, finished };

module.exports = Stream;

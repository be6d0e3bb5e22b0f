'use strict';
// Stands in for `qs` inside the npm `url` package (see build.mjs). url@0.11.4 switched from
// Node's querystring to qs, whose nesting rules (`a[b]=1` -> { a: { b: '1' } }) differ from Node's
// url.parse(str, true). Route it back to the querystring module, which also drops qs's
// dependency tree from the bundle.

const querystring = require('querystring'); // external: the runtime's querystring module

module.exports = {
  parse: (str) => querystring.parse(str),
  // url.format passes qs options ({ arrayFormat: 'repeat' }); querystring repeats keys anyway.
  stringify: (obj) => querystring.stringify(obj),
};

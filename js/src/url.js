'use strict';
// Node's `url` module: the WHATWG URL classes from whatwg-url, Node's legacy API
// (parse/format/resolve) from the npm `url` package, which is a port of Node's own url.js, and a
// few small helpers written here.

const { URL: WhatwgURL, URLSearchParams } = require('whatwg-url');

// Node's URL: whatwg-url's, with Node's error for unparsable input (TypeError 'Invalid URL',
// code ERR_INVALID_URL, the input on `input`), which code checks to tell bad URLs apart.
class URL extends WhatwgURL {
  constructor(input, base) {
    try {
      if (arguments.length < 2) super(input);
      else super(input, base);
    } catch (e) {
      if (e instanceof TypeError) {
        e.message = 'Invalid URL';
        e.code = 'ERR_INVALID_URL';
        e.input = String(input);
      }
      throw e;
    }
  }
}
const tr46 = require('tr46'); // whatwg-url's own IDNA implementation
const legacy = require('url/'); // trailing slash: the npm package, bundled (see build.mjs)

const IDNA_OPTIONS = { checkBidi: true, checkJoiners: true, transitionalProcessing: false };

// Node returns '' for a domain that is not valid, rather than throwing.
function domainToASCII(domain) {
  const result = tr46.toASCII(String(domain), IDNA_OPTIONS);
  return result === null ? '' : result;
}

function domainToUnicode(domain) {
  const result = tr46.toUnicode(String(domain), IDNA_OPTIONS);
  return result.error ? '' : result.domain;
}

// url.format(URL, options) formats a WHATWG URL with Node's options; anything else goes to the
// legacy formatter, as in Node.
function format(urlObject, options) {
  if (!(urlObject instanceof URL)) return legacy.format(urlObject);
  const opts = Object.assign({ auth: true, fragment: true, search: true, unicode: false }, options);
  let out = urlObject.protocol;
  // A URL has an authority exactly when its serialisation continues with '//' after the scheme.
  if (urlObject.href.startsWith(`${out}//`)) {
    out += '//';
    if (opts.auth && (urlObject.username || urlObject.password)) {
      out += urlObject.username;
      if (urlObject.password) out += `:${urlObject.password}`;
      out += '@';
    }
    out += opts.unicode ? domainToUnicode(urlObject.hostname) : urlObject.hostname;
    if (urlObject.port) out += `:${urlObject.port}`;
  }
  out += urlObject.pathname;
  if (opts.search) out += urlObject.search;
  if (opts.fragment) out += urlObject.hash;
  return out;
}

// There is no file system and no working directory, so the file: helpers follow Node's POSIX
// rules for absolute paths only.
function fileURLToPath(input) {
  const url = typeof input === 'string' ? new URL(input) : input;
  if (!(url instanceof URL)) {
    throw new TypeError('The "path" argument must be of type string or an instance of URL');
  }
  if (url.protocol !== 'file:') throw new TypeError('The URL must be of scheme file');
  if (url.hostname !== '') throw new TypeError('File URL host must be "localhost" or empty');
  if (/%2f/i.test(url.pathname)) {
    throw new TypeError('File URL path must not include encoded / characters');
  }
  return decodeURIComponent(url.pathname);
}

function pathToFileURL(path) {
  const str = String(path);
  if (!str.startsWith('/')) {
    throw new Error('url.pathToFileURL: only absolute paths are supported (there is no working directory)');
  }
  // Same escapes as Node: characters the URL parser would otherwise treat specially or drop.
  const escaped = str
    .replace(/%/g, '%25')
    .replace(/\\/g, '%5C')
    .replace(/\n/g, '%0A')
    .replace(/\r/g, '%0D')
    .replace(/\t/g, '%09')
    .replace(/#/g, '%23')
    .replace(/\?/g, '%3F');
  return new URL(`file://${escaped}`);
}

// http.request-style options from a WHATWG URL.
function urlToHttpOptions(url) {
  const options = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  };
  if (url.port !== '') options.port = Number(url.port);
  if (url.username || url.password) {
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  return options;
}

module.exports = {
  URL,
  URLSearchParams,
  Url: legacy.Url,
  parse: legacy.parse,
  resolve: legacy.resolve,
  resolveObject: legacy.resolveObject,
  format,
  domainToASCII,
  domainToUnicode,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
};

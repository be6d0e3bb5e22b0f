const url = require('url');

async function lambda(input) {
  const parsed = url.parse('https://user:pw@example.com:8443/p/a/t/h?query=string&a=1#hash', true);
  const { URL: ModuleURL } = url;
  return {
    protocol: parsed.protocol, auth: parsed.auth, host: parsed.host, port: parsed.port,
    pathname: parsed.pathname, search: parsed.search, query: parsed.query, hash: parsed.hash,
    format: url.format({ protocol: 'https', hostname: 'example.com', pathname: '/x', query: { a: 'b c' } }),
    resolve: url.resolve('http://example.com/a/b', '../c'),
    sameURL: ModuleURL === URL,
    whatwg: new ModuleURL('/path?x=1', 'https://example.org').href,
  };
}

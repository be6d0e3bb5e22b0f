async function lambda(input) {
  const u = new URL('https://user:pw@example.com:8080/a/b/../c?x=1&y=two%20words#frag');
  const params = new URLSearchParams({ b: '2', a: '1' });
  params.append('a', '3');
  params.sort();
  const relative = new URL('../d?q', 'https://example.com/a/b/c');
  let invalid;
  try { new URL('not a url'); } catch (e) { invalid = e.name; }
  u.searchParams.set('z', 'last & first');
  return {
    protocol: u.protocol, username: u.username, password: u.password, host: u.host,
    hostname: u.hostname, port: u.port, pathname: u.pathname, search: u.search, hash: u.hash,
    origin: u.origin, y: u.searchParams.get('y'), href: u.href,
    params: params.toString(), all: params.getAll('a'), relative: relative.href, invalid,
    idn: new URL('https://bücher.example/').hostname,
    json: JSON.stringify({ u: new URL('http://x.test/p') }),
  };
}

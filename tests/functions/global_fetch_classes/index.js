// Headers, Request, Response and AbortController work without the network.
async function lambda() {
  const h = new Headers({ 'Content-Type': 'text/plain' });
  h.append('X-A', '1');
  h.append('x-a', '2');
  h.append('Set-Cookie', 'a=1');
  h.append('Set-Cookie', 'b=2');
  let badHeader;
  try { h.set('bad name', 'v'); } catch (e) { badHeader = e.name; }
  const req = new Request('https://api.example.com/x?y=1', { method: 'post', body: 'hi', redirect: 'manual' });
  const res = Response.json({ a: 1 }, { status: 201, headers: { 'X-R': 'r' } });
  const clone = res.clone();
  const text = new Response('plain');
  const controller = new AbortController();
  const seen = [];
  controller.signal.addEventListener('abort', () => seen.push('listener'));
  controller.signal.onabort = () => seen.push('onabort');
  controller.abort();
  let badStatus;
  try { new Response('x', { status: 99 }); } catch (e) { badStatus = e.name; }
  let credentials;
  try { new Request('https://u:p@example.com/'); } catch (e) { credentials = e.name; }
  return {
    entries: [...h],
    xa: h.get('x-a'),
    cookies: h.getSetCookie(),
    has: h.has('CONTENT-TYPE'),
    badHeader,
    req: { method: req.method, url: req.url, redirect: req.redirect, type: req.headers.get('content-type'), body: await req.text() },
    res: { status: res.status, ok: res.ok, type: res.headers.get('content-type'), json: await res.json(), clone: await clone.text(), used: res.bodyUsed },
    text: { status: text.status, statusText: text.statusText, body: await text.text(), type: text.headers.get('content-type') },
    redirect: Response.redirect('https://example.com/next', 307).headers.get('location'),
    abort: { aborted: controller.signal.aborted, reason: controller.signal.reason.name, seen },
    badStatus,
    credentials,
    error: Response.error().type,
  };
}

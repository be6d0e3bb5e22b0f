// HTTP Request: calls an external API with the global `fetch` and returns what it answered.
//
// The host must be on the account's domain allowlist (Settings → Domains, or
// `parley domains add example.com`), otherwise the request is refused. Put the URL in the
// environment variable TARGET_URL, or pass {"url": "..."} in the payload.
// Callback-style (V1) functions can use `Toolbelt.HTTPClient()` from 'lp-faas-toolbelt' instead.
async function lambda(input) {
  const url = (input.payload && input.payload.url) || process.env.TARGET_URL || 'https://www.example.com/';
  const started = Date.now();
  const response = await fetch(url, { method: 'GET', headers: { accept: 'application/json, text/plain, */*' } });
  const body = await response.text();
  console.info(`GET ${url} answered ${response.status} in ${Date.now() - started} ms`);
  if (!response.ok) {
    throw new Error(`GET ${url} failed with status ${response.status}`);
  }
  return {
    statusCode: response.status,
    contentType: response.headers.get('content-type'),
    bodyLength: body.length,
  };
}

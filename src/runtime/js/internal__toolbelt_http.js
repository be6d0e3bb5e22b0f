// Toolbelt.HTTPClient (V1, request-promise style) and Toolbelt.MTLSClient, both on the global
// `fetch` (internal__fetch.js), so the account allowlist, the private-address refusal, the
// timeout, size cap and rate limit apply to them exactly as to fetch. Loaded by toolbelt.js, which
// passes {ToolBeltError, ErrorCodes}.
//
// HTTPClient() returns `rp(options)` / `rp(uri, options)` with the verbs rp.get/post/put/patch/
// del/delete/head, as request-promise does. Options: uri|url, baseUrl, method (GET), headers, qs,
// body, json (true: JSON body and JSON answer; an object: that object is the body), form
// (urlencoded), auth {user, pass} | {bearer}, timeout (ms), followRedirect (true),
// encoding (null: the body as a Buffer), resolveWithFullResponse (false), simple (true: a non-2xx
// answer rejects with a StatusCodeError {statusCode, error: body, response}); transport failures
// reject with a RequestError {cause, error}.
//
// MTLSClient({cert, key, ca?}) (PEM) has get/post/put/delete/patch(url, headers?, body?, options?)
// and head/options(url, headers?, options?), resolving to {statusCode, headers, body}. Options:
// {timeout (ms), json (JSON body and answer), allowSelfSigned}. Errors are ToolBeltErrors with the
// mtls.* codes: missing-conf (no cert or key), invalid-cert / invalid-key (not PEM),
// invalid-request (bad URL or arguments), request-timeout, general-issue (anything else; the
// message says why, e.g. a host not on the allowlist).
'use strict';

module.exports = function httpClients({ ToolBeltError, ErrorCodes }) {
  const TIMEOUT = Symbol.for('parley.fetch.timeoutMs');
  const TLS = Symbol.for('parley.fetch.tls');
  const { fetch, Headers } = globalThis;

  function headersObject(headers) {
    const out = {};
    for (const [name, value] of headers) out[name] = value;
    return out;
  }

  function appendQuery(url, qs) {
    if (!qs || typeof qs !== 'object') return url;
    const u = new URL(url);
    for (const [k, v] of Object.entries(qs)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, String(item));
      else u.searchParams.append(k, String(v));
    }
    return u.href;
  }

  function tryJson(text) {
    try {
      return JSON.parse(text);
    } catch (_) {
      return text;
    }
  }

  // ------------------------------------------------------------------------------------------
  // HTTPClient

  class RequestError extends Error {
    constructor(cause, options) {
      super(String(cause && cause.cause && cause.cause.message ? cause.cause.message : cause));
      this.name = 'RequestError';
      this.cause = cause;
      this.error = cause;
      this.options = options;
    }
  }

  class StatusCodeError extends Error {
    constructor(statusCode, body, options, response) {
      super(`${statusCode} - ${JSON.stringify(body)}`);
      this.name = 'StatusCodeError';
      this.statusCode = statusCode;
      this.error = body;
      this.options = options;
      this.response = response;
    }
  }

  function normalise(uri, options) {
    let o;
    if (typeof uri === 'string' || uri instanceof URL) o = { ...(options || {}), uri: String(uri) };
    else if (uri && typeof uri === 'object') o = { ...uri };
    else throw new TypeError('HTTPClient: give a uri string or an options object');
    const target = o.uri !== undefined ? o.uri : o.url;
    if (target === undefined || target === null || target === '') {
      throw new TypeError('HTTPClient: options.uri (or url) is required');
    }
    o.uri = o.baseUrl ? String(o.baseUrl).replace(/\/+$/, '') + '/' + String(target).replace(/^\/+/, '')
      : String(target);
    return o;
  }

  async function request(o) {
    const method = String(o.method || 'GET').toUpperCase();
    const headers = new Headers(o.headers || {});
    let body;
    if (o.form !== undefined) {
      body = typeof o.form === 'string' ? o.form : new URLSearchParams(o.form).toString();
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
    } else if (o.json && typeof o.json === 'object') {
      body = JSON.stringify(o.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    } else if (o.body !== undefined && o.body !== null) {
      if (o.json && typeof o.body !== 'string' && !(o.body instanceof Uint8Array)) {
        body = JSON.stringify(o.body);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      } else {
        body = o.body;
      }
    }
    if (o.json && !headers.has('accept')) headers.set('accept', 'application/json');
    if (o.auth) {
      if (o.auth.bearer) headers.set('authorization', `Bearer ${o.auth.bearer}`);
      else if (o.auth.user !== undefined || o.auth.username !== undefined) {
        const user = o.auth.user !== undefined ? o.auth.user : o.auth.username;
        const pass = o.auth.pass !== undefined ? o.auth.pass : (o.auth.password || '');
        headers.set('authorization', 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64'));
      }
    }
    let url;
    try {
      url = appendQuery(o.uri, o.qs);
    } catch (e) {
      throw new RequestError(e, o);
    }
    const init = { method, headers, body, redirect: o.followRedirect === false ? 'manual' : 'follow' };
    if (typeof o.timeout === 'number' && o.timeout > 0) init[TIMEOUT] = o.timeout;
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      throw new RequestError(e, o);
    }
    let responseBody;
    if (o.encoding === null) {
      responseBody = Buffer.from(await res.arrayBuffer());
    } else {
      const text = await res.text();
      responseBody = o.json ? (text === '' ? undefined : tryJson(text)) : text;
    }
    const response = {
      statusCode: res.status, statusMessage: res.statusText, headers: headersObject(res.headers),
      body: responseBody, url: res.url, request: { uri: url, method },
    };
    const ok = res.status >= 200 && res.status < 300;
    if (!ok && o.simple !== false) throw new StatusCodeError(res.status, responseBody, o, response);
    return o.resolveWithFullResponse ? response : responseBody;
  }

  function HTTPClient() {
    const rp = (uri, options) => {
      let o;
      try {
        o = normalise(uri, options);
      } catch (e) {
        return Promise.reject(e);
      }
      return request(o);
    };
    const verb = (method) => (uri, options) => {
      let o;
      try {
        o = normalise(uri, options);
      } catch (e) {
        return Promise.reject(e);
      }
      o.method = method;
      return request(o);
    };
    rp.get = verb('GET');
    rp.post = verb('POST');
    rp.put = verb('PUT');
    rp.patch = verb('PATCH');
    rp.del = verb('DELETE');
    rp.delete = verb('DELETE');
    rp.head = verb('HEAD');
    rp.options = verb('OPTIONS');
    return rp;
  }

  // ------------------------------------------------------------------------------------------
  // MTLSClient

  const PEM = (kind) => new RegExp(`-----BEGIN [A-Z ]*${kind}-----[\\s\\S]+-----END [A-Z ]*${kind}-----`);
  const mtlsError = (code, message) => new ToolBeltError('MTLSClient', code, message);

  class MTLSClient {
    #tls;

    constructor(clientTLS) {
      const { cert, key, ca } = clientTLS || {};
      if (!cert || !key) {
        throw mtlsError(ErrorCodes.Mtls.Missing, 'MTLSClient needs {cert, key} (PEM), and optionally ca');
      }
      if (typeof cert !== 'string' || !PEM('CERTIFICATE').test(cert)) {
        throw mtlsError(ErrorCodes.Mtls.Invalid.Cert, 'cert is not a PEM certificate');
      }
      if (typeof key !== 'string' || !PEM('KEY').test(key)) {
        throw mtlsError(ErrorCodes.Mtls.Invalid.Key, 'key is not a PEM private key');
      }
      if (ca !== undefined && ca !== null && (typeof ca !== 'string' || !PEM('CERTIFICATE').test(ca))) {
        throw mtlsError(ErrorCodes.Mtls.Invalid.Cert, 'ca is not a PEM certificate');
      }
      this.#tls = { cert, key, ca: ca || '' };
    }

    async #send(method, url, headers, body, options = {}) {
      if (typeof url !== 'string' || url === '') {
        throw mtlsError(ErrorCodes.Mtls.BadRequest, `${method.toLowerCase()} needs a URL`);
      }
      const h = new Headers(headers || {});
      let payload = body;
      if (options && options.json && body !== undefined && body !== null && typeof body !== 'string') {
        payload = JSON.stringify(body);
        if (!h.has('content-type')) h.set('content-type', 'application/json');
      }
      const init = { method, headers: h, body: payload === undefined ? undefined : payload };
      init[TLS] = { ...this.#tls, insecure: Boolean(options && options.allowSelfSigned) };
      if (options && typeof options.timeout === 'number' && options.timeout > 0) init[TIMEOUT] = options.timeout;
      let res;
      try {
        res = await fetch(url, init);
      } catch (e) {
        const code = e && e.cause && e.cause.code;
        if (e instanceof TypeError && !code) throw mtlsError(ErrorCodes.Mtls.BadRequest, e.message);
        if (code === 'egress.timeout') throw mtlsError(ErrorCodes.Mtls.Timeout, e.message);
        if (code === 'egress.client-certificate') throw mtlsError(ErrorCodes.Mtls.Invalid.Cert, e.message);
        if (code === 'egress.invalid-request') throw mtlsError(ErrorCodes.Mtls.BadRequest, e.message);
        throw mtlsError(ErrorCodes.Mtls.General, e && e.message ? e.message : String(e));
      }
      const text = method === 'HEAD' ? '' : await res.text();
      const out = { statusCode: res.status, headers: headersObject(res.headers) };
      if (text !== '') out.body = options && options.json ? tryJson(text) : text;
      return out;
    }

    get(url, headers, body, options) { return this.#send('GET', url, headers, body, options); }
    post(url, headers, body, options) { return this.#send('POST', url, headers, body, options); }
    put(url, headers, body, options) { return this.#send('PUT', url, headers, body, options); }
    patch(url, headers, body, options) { return this.#send('PATCH', url, headers, body, options); }
    delete(url, headers, body, options) { return this.#send('DELETE', url, headers, body, options); }
    head(url, headers, options) { return this.#send('HEAD', url, headers, undefined, options); }
    options(url, headers, options) { return this.#send('OPTIONS', url, headers, undefined, options); }
  }

  return { HTTPClient, MTLSClient, RequestError, StatusCodeError };
};

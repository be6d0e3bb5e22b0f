// Toolbelt.CsdsClient() and Toolbelt.LpClient(): the conversational platform, on the global `fetch`
// (so the platform's hosts must be on the account's allowlist, like any other host). Loaded by
// toolbelt.js, which passes {ToolBeltError, ErrorCodes}.
//
// The platform's base URL comes from the server (--platform-url) through the host service
// "platform.config" → {baseUrl, accountId}; with none configured every call fails with
// csds.op-failed saying so. Service hosts use the base URL's scheme (https in production, http
// against a local fake).
//
// CsdsClient: get(service) → the service's host (baseURI), getAll() → [{service, account,
// baseURI}], from `${baseUrl}/api/account/{acct}/service/baseURI.json?version=1.0`, cached 10
// minutes per account. Unknown service → csds.domain.not-found; anything else → csds.op-failed.
//
// LpClient(service, path, options = {}) → fetch Response: resolves the host via CSDS, reads OAuth2
// client credentials {client_id, client_secret} from the system secret LIVEPERSON_DEFAULT_APP_KEY
// (or options.appKeySecretName), gets a client-credentials token from CSDS "sentinel"
// (POST /sentinel/api/account/{acct}/token?v=2.0), cached until 1 minute before it expires, sets
// `authorization: <token_type> <access_token>` and X-Request-Id, and on a 401 retries once with
// freshly read credentials and a new token. Credential errors: lp-client.credentials-wrong-format /
// lp-client.get-credentials-failure; token errors: oauth2.general-issue /
// oauth2.unexpected-response.
'use strict';
const native = arguments[5];

module.exports = function platform({ ToolBeltError, ErrorCodes }) {
  const { fetch } = globalThis;
  const CSDS_TTL_MS = 10 * 60 * 1000;
  const TOKEN_MARGIN_MS = 60 * 1000;
  const DEFAULT_APP_KEY = 'LIVEPERSON_DEFAULT_APP_KEY';
  const csdsCache = new Map();   // baseUrl|account -> {expires, baseURIs}
  const tokenCache = new Map();  // baseUrl|account|client_id -> {expires, header}

  let configPromise;
  function platformConfig() {
    if (!configPromise) {
      configPromise = native.hostCall('platform.config', '{}').then(({ result }) => result);
      configPromise.catch(() => { configPromise = undefined; });
    }
    return configPromise;
  }

  function csdsError(code, message) {
    return new ToolBeltError('CsdsClient', code, message);
  }

  async function serviceDomains() {
    const { baseUrl, accountId } = await platformConfig();
    if (!baseUrl) {
      throw csdsError(ErrorCodes.Csds.Failure,
        'No platform is configured: the operator starts the server with --platform-url');
    }
    const key = `${baseUrl}|${accountId}`;
    const hit = csdsCache.get(key);
    if (hit && hit.expires > Date.now()) return { baseUrl, accountId, baseURIs: hit.baseURIs };
    const url = `${baseUrl}/api/account/${encodeURIComponent(accountId)}/service/baseURI.json?version=1.0`;
    let res;
    let body;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' } });
      body = await res.text();
    } catch (e) {
      throw csdsError(ErrorCodes.Csds.Failure, `CSDS could not be reached: ${e.message}`);
    }
    if (!res.ok) throw csdsError(ErrorCodes.Csds.Failure, `CSDS answered HTTP ${res.status}`);
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch (_) {
      throw csdsError(ErrorCodes.Csds.Failure, 'CSDS answered something that is not JSON');
    }
    if (!parsed || !Array.isArray(parsed.baseURIs)) {
      throw csdsError(ErrorCodes.Csds.Failure, 'CSDS answered without baseURIs');
    }
    csdsCache.set(key, { expires: Date.now() + CSDS_TTL_MS, baseURIs: parsed.baseURIs });
    return { baseUrl, accountId, baseURIs: parsed.baseURIs };
  }

  async function domainOf(service) {
    const { baseURIs } = await serviceDomains();
    const entry = baseURIs.find((d) => d && d.service === service);
    if (!entry || !entry.baseURI) {
      throw csdsError(ErrorCodes.Csds.NotFound, `CSDS knows no domain for the service "${service}"`);
    }
    return entry.baseURI;
  }

  class CsdsClient {
    get(service) {
      return domainOf(String(service));
    }

    async getAll() {
      return (await serviceDomains()).baseURIs.map((d) => ({ ...d }));
    }
  }

  // -------------------------------------------------------------------------------------------
  // LpClient

  function credsError(code, message) {
    return new ToolBeltError('LpClient', code, message);
  }

  function oauthError(code, message) {
    return new ToolBeltError('LpClient', code, message);
  }

  async function readCredentials(name) {
    let entry;
    try {
      ({ result: entry } = await native.hostCall('secrets.read', JSON.stringify({ key: name })));
    } catch (e) {
      throw credsError(ErrorCodes.LpClient.Creds.Failure,
        `The app key secret "${name}" could not be read: ${e && e.message ? e.message : e}`);
    }
    let creds;
    try {
      creds = JSON.parse(entry.value);
    } catch (_) {
      creds = undefined;
    }
    if (!creds || typeof creds.client_id !== 'string' || typeof creds.client_secret !== 'string') {
      throw credsError(ErrorCodes.LpClient.Creds.Format,
        `The app key secret "${name}" must be JSON {"client_id", "client_secret"}`);
    }
    return creds;
  }

  function serviceUrl(baseUrl, host, path) {
    const scheme = baseUrl.startsWith('http://') ? 'http://' : 'https://';
    return scheme + host + (path.startsWith('/') ? path : '/' + path);
  }

  async function authorization(secretName, fresh) {
    const { baseUrl, accountId } = await platformConfig();
    const creds = await readCredentials(secretName);
    const key = `${baseUrl}|${accountId}|${creds.client_id}`;
    const hit = tokenCache.get(key);
    if (!fresh && hit && hit.expires > Date.now()) return hit.header;
    tokenCache.delete(key);
    const sentinel = await domainOf('sentinel');
    const url = serviceUrl(baseUrl, sentinel, `/sentinel/api/account/${encodeURIComponent(accountId)}/token?v=2.0`);
    let res;
    let text;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.client_id,
          client_secret: creds.client_secret }).toString(),
      });
      text = await res.text();
    } catch (e) {
      throw oauthError(ErrorCodes.OAuth2.General, `The token endpoint could not be reached: ${e.message}`);
    }
    if (!res.ok) throw oauthError(ErrorCodes.OAuth2.General, `The token endpoint answered HTTP ${res.status}`);
    let token;
    try {
      token = JSON.parse(text);
    } catch (_) {
      token = undefined;
    }
    if (!token || typeof token.access_token !== 'string') {
      throw oauthError(ErrorCodes.OAuth2.UnexpectedResponse, 'The token endpoint answered without access_token');
    }
    const header = `${token.token_type || 'Bearer'} ${token.access_token}`;
    const lifetimeMs = (Number(token.expires_in) || 0) * 1000;
    if (lifetimeMs > TOKEN_MARGIN_MS) {
      tokenCache.set(key, { expires: Date.now() + lifetimeMs - TOKEN_MARGIN_MS, header });
    }
    return header;
  }

  function LpClient() {
    return async function lpClient(service, path, options = {}) {
      if (typeof service !== 'string' || service === '') throw new TypeError('LpClient: give a service name');
      if (typeof path !== 'string') throw new TypeError('LpClient: give a path');
      const { appKeySecretName, ...init } = options || {};
      const secretName = appKeySecretName || DEFAULT_APP_KEY;
      const { baseUrl } = await platformConfig();
      const url = serviceUrl(baseUrl, await domainOf(service), path);
      const send = async (fresh) => {
        const headers = new globalThis.Headers(init.headers || {});
        headers.set('authorization', await authorization(secretName, fresh));
        headers.set('X-Request-Id', globalThis.crypto.randomUUID());
        return fetch(url, { ...init, headers });
      };
      const first = await send(false);
      if (first.status !== 401) return first;
      return send(true);
    };
  }

  return { CsdsClient, LpClient, platformConfig };
};

// Toolbelt.SFClient(): a small Salesforce REST client in the shape of the jsforce Connection that
// LivePerson's toolbelt returned, on the global `fetch` (internal__fetch.js), so the account
// allowlist, the private-address refusal, the timeout, size cap and rate limit apply to it exactly
// as to fetch. Loaded by toolbelt.js, which passes {ToolBeltError, ErrorCodes}.
//
// connectToSalesforce({instanceUrl | loginUrl, accessToken, version = '59.0'}) resolves to a
// connection {instanceUrl, accessToken, version, query(soql), sobject(name)}:
//   query(soql)      GET /services/data/v{version}/query?q=…, then each nextRecordsUrl until done;
//                    resolves {totalSize, done: true, records (all pages)}.
//   sobject(name).create(record)   POST   …/sobjects/{name}/        → {id, success, errors}
//   sobject(name).retrieve(id)     GET    …/sobjects/{name}/{id}    → the record
//   sobject(name).update(record)   PATCH  …/sobjects/{name}/{Id}    → {id, success: true, errors: []}
//   sobject(name).destroy(id)      DELETE …/sobjects/{name}/{id}    → {id, success: true, errors: []}
// A Salesforce error answer ([{message, errorCode, fields}]) rejects with an Error whose message is
// Salesforce's message, `name` and `errorCode` its errorCode, `statusCode` the HTTP status and
// `fields` its fields; a refused or failed transport rejects with fetch's error.
// Not supported (an Error says so): username/password login and OAuth refresh-token flows; the
// caller brings a valid access token.
'use strict';

module.exports = function salesforce() {
  const { fetch } = globalThis;
  const DEFAULT_VERSION = '59.0';

  function sfError(status, body) {
    const first = Array.isArray(body) ? body[0] : body;
    const code = first && (first.errorCode || first.error) ? String(first.errorCode || first.error)
      : `HTTP_${status}`;
    const message = first && (first.message || first.error_description)
      ? String(first.message || first.error_description) : `Salesforce answered HTTP ${status}`;
    const e = new Error(message);
    e.name = code;
    e.errorCode = code;
    e.statusCode = status;
    if (first && first.fields) e.fields = first.fields;
    return e;
  }

  class Connection {
    #base;

    constructor(instanceUrl, accessToken, version) {
      this.instanceUrl = instanceUrl;
      this.accessToken = accessToken;
      this.version = version;
      this.#base = `${instanceUrl}/services/data/v${version}`;
    }

    // `path` is absolute ("/services/…", as nextRecordsUrl is) or relative to the versioned base.
    async request(method, path, body) {
      const url = path.startsWith('/services/') ? this.instanceUrl + path : this.#base + path;
      const headers = { authorization: `Bearer ${this.accessToken}`, accept: 'application/json' };
      const init = { method, headers };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      const res = await fetch(url, init);
      const text = await res.text();
      let parsed;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch (_) {
          parsed = [{ message: text, errorCode: `HTTP_${res.status}` }];
        }
      }
      if (!res.ok) throw sfError(res.status, parsed);
      return parsed;
    }

    async query(soql) {
      if (typeof soql !== 'string' || soql.trim() === '') {
        throw new TypeError('query: give a SOQL string');
      }
      let page = await this.request('GET', `/query?q=${encodeURIComponent(soql)}`);
      const records = [...(page.records || [])];
      while (!page.done && page.nextRecordsUrl) {
        page = await this.request('GET', page.nextRecordsUrl);
        records.push(...(page.records || []));
      }
      return { totalSize: page.totalSize, done: true, records };
    }

    sobject(name) {
      if (typeof name !== 'string' || !/^[A-Za-z0-9_]+$/.test(name)) {
        throw new TypeError('sobject: give an sObject name such as "Account"');
      }
      const path = `/sobjects/${name}`;
      const needId = (id, what) => {
        if (typeof id !== 'string' || id === '') throw new TypeError(`${name}.${what}: give a record Id`);
        return encodeURIComponent(id);
      };
      return {
        create: (record) => this.request('POST', `${path}/`, record),
        retrieve: (id) => this.request('GET', `${path}/${needId(id, 'retrieve')}`),
        update: async (record) => {
          const { Id, id, ...fields } = record || {};
          const recordId = Id !== undefined ? Id : id;
          await this.request('PATCH', `${path}/${needId(recordId, 'update')}`, fields);
          return { id: recordId, success: true, errors: [] };
        },
        destroy: async (id) => {
          await this.request('DELETE', `${path}/${needId(id, 'destroy')}`);
          return { id, success: true, errors: [] };
        },
      };
    }
  }

  function SFClient() {
    return {
      async connectToSalesforce(config) {
        const c = config || {};
        const base = c.instanceUrl || c.loginUrl;
        if (typeof base !== 'string' || base === '') {
          throw new TypeError('connectToSalesforce: give instanceUrl (or loginUrl)');
        }
        new URL(base);  // throws a TypeError for a malformed URL
        if (typeof c.accessToken !== 'string' || c.accessToken === '') {
          throw new Error('connectToSalesforce: give accessToken; username/password login and ' +
            'refresh-token flows are not supported');
        }
        const version = c.version ? String(c.version).replace(/^v/, '') : DEFAULT_VERSION;
        return new Connection(base.replace(/\/+$/, ''), c.accessToken, version);
      },
    };
  }

  return { SFClient };
};

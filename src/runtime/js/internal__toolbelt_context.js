// Toolbelt.ContextServiceClient: the context store (SPEC §8) over the "context.*" host services
// (control/context_host.h). Loaded by toolbelt.js, which passes {ToolBeltError, ErrorCodes}.
//
// Method names and semantics are LivePerson's Context Session Store client's: sessions default
// to "__default__"; createNamespace is idempotent; deletes of missing things do not throw;
// set/update both merge properties into the session (creating it); values are stored as JSON
// (keys whose value is undefined are dropped, as JSON.stringify does). The account is always the
// invocation's: the constructor's apiKey / {accountId, apiKey} are accepted and ignored.
'use strict';
const native = arguments[5];

module.exports = function contextClients({ ToolBeltError, ErrorCodes }) {
  const fail = (code, message) => new ToolBeltError('ContextServiceClient', code, message);

  async function call(method, args) {
    try {
      const { result } = await native.hostCall('context.' + method, JSON.stringify(args));
      return result;
    } catch (e) {
      throw fail(e && e.code ? e.code : ErrorCodes.Context.Failure, e && e.message ? e.message : String(e));
    }
  }

  function checkNamespace(namespace) {
    if (typeof namespace !== 'string' || namespace === '') {
      throw fail(ErrorCodes.Context.Invalid, 'The namespace must be a non-empty string');
    }
  }
  function checkSession(sessionId) {
    if (sessionId !== undefined && sessionId !== null && typeof sessionId !== 'string') {
      throw fail(ErrorCodes.Context.Invalid, 'The sessionId must be a string');
    }
  }
  function checkName(name, what) {
    if (typeof name !== 'string' || name === '') {
      throw fail(ErrorCodes.Context.Invalid, `The ${what} must be a non-empty string`);
    }
  }
  function checkProperties(properties) {
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      throw fail(ErrorCodes.Context.Invalid, 'The properties must be an object of name → value');
    }
  }
  const toNamespace = (ns) => {
    const out = { name: ns.name, createdAt: new Date(ns.createdAt) };
    if (ns.ttlSecond !== undefined) out.ttlSecond = ns.ttlSecond;
    return out;
  };

  class ContextServiceClient {
    async createNamespace(namespace, options) {
      checkNamespace(namespace);
      const ttl = options && options.ttl !== undefined ? options.ttl : undefined;
      if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) {
        throw fail(ErrorCodes.Context.Invalid, 'options.ttl must be a positive whole number of seconds');
      }
      return toNamespace(await call('createNamespace', { namespace, ttl }));
    }
    async deleteNamespace(namespace) {
      checkNamespace(namespace);
      await call('deleteNamespace', { namespace });
    }
    async getListOfNamespaces() {
      return (await call('getListOfNamespaces', {})).map(toNamespace);
    }
    async setPropertiesInNamespace(namespace, properties, sessionId) {
      checkNamespace(namespace); checkProperties(properties); checkSession(sessionId);
      return call('setProperties', { namespace, properties, sessionId });
    }
    async updatePropertiesInNamespace(namespace, properties, sessionId) {
      checkNamespace(namespace); checkProperties(properties); checkSession(sessionId);
      return call('setProperties', { namespace, properties, sessionId });
    }
    async getAllPropertiesInSession(namespace, sessionId) {
      checkNamespace(namespace); checkSession(sessionId);
      return call('getProperties', { namespace, sessionId });
    }
    async getSelectedPropertiesInSession(namespace, propertyNames, sessionId) {
      checkNamespace(namespace); checkSession(sessionId);
      if (!Array.isArray(propertyNames) || propertyNames.some((n) => typeof n !== 'string')) {
        throw fail(ErrorCodes.Context.Invalid, 'The propertyNames must be an array of strings');
      }
      return call('getProperties', { namespace, names: propertyNames, sessionId });
    }
    async getPropertyInSession(namespace, propertyName, sessionId) {
      checkNamespace(namespace); checkName(propertyName, 'propertyName'); checkSession(sessionId);
      const r = await call('getProperty', { namespace, name: propertyName, sessionId });
      return r.found ? r.value : undefined;
    }
    async deletePropertyInSession(namespace, propertyName, sessionId) {
      checkNamespace(namespace); checkName(propertyName, 'propertyName'); checkSession(sessionId);
      await call('deleteProperty', { namespace, name: propertyName, sessionId });
    }
    async deleteSession(namespace, sessionId) {
      checkNamespace(namespace); checkName(sessionId, 'sessionId');
      await call('deleteSession', { namespace, sessionId });
    }
    async getListOfSessions(namespace) {
      checkNamespace(namespace);
      return call('getListOfSessions', { namespace });
    }
  }
  // Names some LivePerson examples use for the same calls.
  const proto = ContextServiceClient.prototype;
  for (const [alias, target] of [['getAllPropertiesInNamespace', 'getAllPropertiesInSession'],
    ['getSelectedPropertiesInNamespace', 'getSelectedPropertiesInSession'],
    ['getPropertyInNamespace', 'getPropertyInSession'],
    ['deletePropertyInNamespace', 'deletePropertyInSession']]) {
    Object.defineProperty(proto, alias, { value: proto[target], writable: true, configurable: true });
  }

  return { ContextServiceClient };
};

// The toolbelt (`lp-faas-toolbelt`, `core-functions-toolbelt`, `parley-toolbelt`): what LivePerson
// functions import to reach platform services. Module body; the sixth wrapper argument `native`
// holds the bindings, of which this uses hostCall (HostServices on the server side).
//
// Implemented: Toolbelt.SecretClient, ContextServiceClient (internal/toolbelt_context),
// OrchestratorClient (internal/toolbelt_orchestrator), HTTPClient and MTLSClient
// (internal/toolbelt_http), SFClient (internal/toolbelt_salesforce), CsdsClient and LpClient
// (internal/toolbelt_platform), ConversationUtil, SDEUtil and GDPRUtil
// (internal/toolbelt_conversation),
// ErrorCodes, ToolBeltError. Factories not listed here are absent on purpose (calling one is a
// TypeError) until their host services exist.
'use strict';
const native = arguments[5];
const requireModule = arguments[1];

const ErrorCodes = Object.freeze({
  Platform: { Secret: { NoToken: 'com.liveperson.faas.handler.no-sa-token' } },
  Secret: {
    Invalid: 'com.liveperson.faas.secret.invalid-format',
    Failure: 'com.liveperson.faas.secret.op-failed',
    Timeout: 'com.liveperson.faas.secret.op-timed-out',
    NotFound: 'com.liveperson.faas.secret.not-found',
    AuthFailure: 'com.liveperson.faas.secret.auth-failed',
    SystemSecret: 'com.liveperson.faas.secret.forbidden',
  },
  Csds: {
    NotFound: 'com.liveperson.faas.csds.domain.not-found',
    Failure: 'com.liveperson.faas.csds.op-failed',
  },
  Mtls: {
    General: 'com.liveperson.faas.mtls.general-issue',
    Remote: 'com.liveperson.faas.mtls.remote-threw',
    Missing: 'com.liveperson.faas.mtls.missing-conf',
    Invalid: { Key: 'com.liveperson.faas.mtls.invalid-key', Cert: 'com.liveperson.faas.mtls.invalid-cert' },
    BadRequest: 'com.liveperson.faas.mtls.invalid-request',
    Creds: {
      Format: 'com.liveperson.faas.lp-mtls.credentials-wrong-format',
      Failure: 'com.liveperson.faas.lp-mtls.get-credentials-failure',
    },
    Timeout: 'com.liveperson.faas.mtls.request-timeout',
  },
  OAuth2: {
    General: 'com.liveperson.faas.oauth2.general-issue',
    UnexpectedResponse: 'com.liveperson.faas.oauth2.unexpected-response',
  },
  LpClient: {
    Creds: {
      Format: 'com.liveperson.faas.lp-client.credentials-wrong-format',
      Failure: 'com.liveperson.faas.lp-client.get-credentials-failure',
    },
  },
  ConversationUtil: {
    General: 'com.liveperson.faas.conversation-util-general',
    NotFound: 'com.liveperson.faas.conversation-util.conversation.not-found',
    UnexpectedResponse: 'com.liveperson.faas.conversation-util.unexpected-response',
    Timeout: 'com.liveperson.faas.conversation-util.timeout',
  },
  GDPRUtil: {
    General: 'com.liveperson.faas.gdpr-util-general',
    AuthFailure: 'com.liveperson.faas.gdpr-util.auth-failed',
    ReplaceFileFailed: 'com.liveperson.faas.gdpr-util.replace-file-failed',
  },
  SDEsUtil: {
    General: 'com.liveperson.faas.sdes-util-general',
    UnexpectedResponse: 'com.liveperson.faas.sdes-util.unexpected-response',
  },
  Context: {
    Invalid: 'com.liveperson.faas.context.invalid-format',
    NotFound: 'com.liveperson.faas.context.not-found',
    LimitExceeded: 'com.liveperson.faas.context.limit-exceeded',
    Failure: 'com.liveperson.faas.context.op-failed',
  },
  OrchestratorFN: {
    General: 'com.liveperson.faas.orchestrator-fn-general',
    Timeout: 'com.liveperson.faas.orchestrator-fn.invoke.timeout',
    Invocation: { StatusError: 'com.liveperson.faas.orchestrator-fn.invoke.status-code-error' },
    Creds: {
      Format: 'com.liveperson.faas.orchestrator-fn.credentials-wrong-format',
      Failure: 'com.liveperson.faas.orchestrator-fn.get-credentials-failure',
    },
  },
});

// Constants of the platform helpers (fact sheet §5.4–5.6).
const LpServices = Object.freeze({
  MSG_HIST: 'msgHist', AGENT_VEP: 'agentVep', ACCOUNT_CONFIG_READ_ONLY: 'accountConfigReadOnly',
  ACCOUNT_CONFIG_READ_WRITE: 'accountConfigReadWrite', ASYNC_MESSAGING: 'asyncMessaging',
  ASYNC_MESSAGING_EN: 'asyncMessagingEnt', ENG_HIST_DOMAIN: 'engHistDomain', RTBF: 'rtbf',
  AUDITLOG: 'auditLog', SMT: 'smt', PUSHER: 'pusher', LE_DATA_REPORTING: 'leDataReporting',
  MSG_EWT_API: 'msgEwtAPI', MSDKGW: 'msdkgw',
});
const ConversationContentTypes = Object.freeze({
  INFO: 'info', SDES: 'sdes', UNAUTH_SDES: 'unAuthSdes', CAMPAIGN: 'campaign',
  MESSAGE_RECORDS: 'messageRecords', AGENT_PARTICIPANTS: 'agentParticipants',
  AGENT_PARTICIPANTS_ACTIVE: 'agentParticipantsActive', CONSUMER_PARTICIPANTS: 'consumerParticipants',
  TRANSFERS: 'transfers', INTERACTIONS: 'interactions', MESSAGE_SCORES: 'messageScores',
  MESSAGE_STATUSES: 'messageStatuses', SKILL_CHANGES: 'skillChanges',
  CONVERSATION_SURVEYS: 'conversationSurveys', AGENT_PARTICIPANTS_LEAVE: 'agentParticipantsLeave',
  COBROWSE_SESSIONS: 'coBrowseSessions', SUMMARY: 'summary', MONITORING: 'monitoring',
  DIALOGS: 'dialogs', RESPONSE_TIME: 'responseTime', INTENTS: 'intents',
  UNIQUE_INTENTS: 'uniqueIntents', LATEST_AGENT_SURVEY: 'latestAgentSurvey',
  PREVIOUSLY_SUBMITTED_AGENT_SURVEYS: 'previouslySubmittedAgentSurveys',
});
const SDETypes = Object.freeze({
  CART: 'cart', TRANSACTION: 'purchase', VIEWED_PRODUCT: 'prodView', CUSTOMER_INFO: 'ctmrinfo',
  MARKETING_SOURCE: 'mrktInfo', PERSONAL_INFO: 'personal', LEAD: 'lead', SERVICE_ACTIVITY: 'service',
  VISITOR_ERROR: 'error', SEARCHED_CONTENT: 'searchInfo', ORDER_ID: 'orderId',
});

class ToolBeltError extends Error {
  constructor(component, code, message) {
    super(message);
    this.name = 'ToolBeltError';
    this.component = component;
    this.code = code;
  }
}

const SECRET_NAME = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_SECRET_CHARS = 16384;
const DEFAULT_TTL_MS = 5 * 60 * 1000;

function secretError(code, message) {
  return new ToolBeltError('SecretClient', code, message);
}

function checkKey(key) {
  if (typeof key !== 'string' || !SECRET_NAME.test(key)) {
    throw secretError(ErrorCodes.Secret.Invalid,
      'A secret key is 1 to 100 characters of A-Z, a-z, 0-9, "_" and "-"');
  }
}

// The host's answer {key, value, type} as the function sees it: JSON secrets parsed.
function present(key, entry) {
  if (entry.type === 'json') {
    try {
      return { key, value: JSON.parse(entry.value) };
    } catch (e) {
      throw secretError(ErrorCodes.Secret.Invalid, `Secret "${key}" is not valid JSON`);
    }
  }
  return { key, value: entry.value };
}

const DEFAULT_TIMEOUT_MS = 5000;

// A host call that fails with secret.op-timed-out after `timeoutMs` (V2's default 5 s).
async function host(service, args, timeoutMs) {
  const ms = typeof timeoutMs === 'number' && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(secretError(ErrorCodes.Secret.Timeout,
      `The secret store did not answer within ${ms} ms`)), ms);
  });
  const call = native.hostCall(service, JSON.stringify(args)).then(({ result }) => result, (e) => {
    throw secretError(e && e.code ? e.code : ErrorCodes.Secret.Failure, e && e.message ? e.message : String(e));
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class SecretClient {
  #cache = new Map();  // key -> {type, value (text as stored), expires}
  #ttl;

  constructor(options) {
    const ttl = options && options.cache && options.cache.ttl;
    this.#ttl = typeof ttl === 'number' && ttl >= 0 ? ttl : DEFAULT_TTL_MS;
  }

  // options: {useCache = true, timeout = 5000 ms}
  async readSecret(key, options = {}) {
    checkKey(key);
    const useCache = !options || options.useCache !== false;
    if (useCache) {
      const hit = this.#cache.get(key);
      if (hit && hit.expires > Date.now()) {
        // Served from the cache: tell the host, so a logged value is still redacted.
        native.hostCall('secrets.used', JSON.stringify({ key })).then(undefined, () => {});
        return present(key, hit);
      }
    }
    const entry = await host('secrets.read', { key }, options && options.timeout);
    this.#cache.set(key, { type: entry.type, value: entry.value, expires: Date.now() + this.#ttl });
    return present(key, entry);
  }

  async updateSecret(secret, options = {}) {
    if (secret === null || typeof secret !== 'object') {
      throw secretError(ErrorCodes.Secret.Invalid, 'updateSecret expects {key, value}');
    }
    const { key, value } = secret;
    checkKey(key);
    if (value === undefined) {
      throw secretError(ErrorCodes.Secret.Invalid, `No value given for secret "${key}"`);
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text.length > MAX_SECRET_CHARS) {
      throw secretError(ErrorCodes.Secret.Invalid,
        `The value of secret "${key}" is over ${MAX_SECRET_CHARS} characters`);
    }
    const entry = await host('secrets.update', { key, value: text }, options && options.timeout);
    this.#cache.set(key, { type: entry.type, value: entry.value, expires: Date.now() + this.#ttl });
    return { key, value };
  }
}

// Parts of the toolbelt kept in their own files (src/runtime/js/internal__toolbelt_*.js).
function part(name, extra) {
  const body = native.loadModule('internal/' + name);
  const module = { exports: {} };
  Reflect.apply(body, module.exports, [module.exports, requireModule, module, name, '/', native]);
  return module.exports({ ToolBeltError, ErrorCodes, ...extra });
}
const { ContextServiceClient } = part('toolbelt_context');
const { OrchestratorClient, ErrorStrategy } = part('toolbelt_orchestrator');
const http = part('toolbelt_http');
const { SFClient } = part('toolbelt_salesforce');
const platform = part('toolbelt_platform');
const conversation = part('toolbelt_conversation', { platform });

class Toolbelt {
  // V2 takes an apiKey, V1 {accountId, apiKey}: both accepted, neither needed (the account is
  // the invocation's).
  static ContextServiceClient() {
    return new ContextServiceClient();
  }

  static OrchestratorClient() {
    return new OrchestratorClient();
  }

  // V1's request-promise style client; on `fetch`, so the allowlist applies.
  static HTTPClient() {
    return http.HTTPClient();
  }

  // clientTLS: {cert, key, ca?} in PEM.
  static MTLSClient(clientTLS) {
    return new http.MTLSClient(clientTLS);
  }

  // jsforce-style connection over Salesforce REST: query, sobject(name).create/retrieve/update/destroy.
  static SFClient() {
    return SFClient();
  }

  // The conversational platform (--platform-url): service hosts from CSDS, cached 10 minutes.
  static CsdsClient() {
    return new platform.CsdsClient();
  }

  // (service, path, fetch options & {appKeySecretName?}) → Response, OAuth2 from the app key secret.
  static LpClient() {
    return platform.LpClient();
  }

  // msgHist search and keyword scan.
  static ConversationUtil() {
    return new conversation.ConversationUtil();
  }

  // SDEs to smt; a conversation's SDE events in server order.
  static SDEUtil() {
    return new conversation.SDEUtil();
  }

  // Replaces a conversation's hosted files in swift (irreversible).
  static GDPRUtil() {
    return new conversation.GDPRUtil();
  }

  static SecretClient(options) {
    const client = new SecretClient(options);
    return {
      readSecret: (key, options) => client.readSecret(key, options),
      updateSecret: (secret, options) => client.updateSecret(secret, options),
    };
  }
}

module.exports = {
  Toolbelt, ErrorCodes, ToolBeltError, ErrorStrategy, LpServices, ConversationContentTypes, SDETypes,
};

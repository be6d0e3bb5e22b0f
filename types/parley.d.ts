// Type declarations for Parley functions: the lambda signatures, the globals the runtime
// provides, and the toolbelt modules (`lp-faas-toolbelt`, `core-functions-toolbelt`,
// `parley-toolbelt`, all the same module). For editors: the console uses them for completion and
// `parley init` copies them into a project. Checked by `tsc --noEmit` (tests/types).
//
// Compile with "lib": ["es2022"] and without "dom": the globals below are the runtime's.

// ---------------------------------------------------------------------------------------------
// Invocations

declare namespace Parley {
  /** One request header as functions receive it. */
  interface Header {
    key: string;
    value: string;
  }
  /** What `lambda` is called with: `{timestamp, headers, payload}`. */
  interface Input<P = any> {
    /** When the caller sent the request (ms since the epoch; 0 when unknown). */
    timestamp: number;
    headers: Header[];
    payload: P;
  }
  /** V1: `callback(error)` fails the invocation, `callback(null, result)` succeeds. */
  type Callback<R = unknown> = (error: Error | null | undefined, result?: R) => void;
  /** V1 (callback) lambda: `function lambda(input, callback) { … }`. */
  type LambdaV1<P = any, R = unknown> = (input: Input<P>, callback: Callback<R>) => void | Promise<void>;
  /** V2 (async) lambda: `async function lambda(input) { return result; }`. */
  type LambdaV2<P = any, R = unknown> = (input: Input<P>) => R | Promise<R>;
  type Lambda<P = any, R = unknown> = LambdaV1<P, R> | LambdaV2<P, R>;
}

// ---------------------------------------------------------------------------------------------
// Globals

interface Console {
  debug(message?: any, ...extras: any[]): void;
  info(message?: any, ...extras: any[]): void;
  log(message?: any, ...extras: any[]): void;
  warn(message?: any, ...extras: any[]): void;
  error(message?: any, ...extras: any[]): void;
  trace(message?: any, ...extras: any[]): void;
  dir(value?: any, ...extras: any[]): void;
  table(value?: any): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  assert(condition?: boolean, ...extras: any[]): void;
}
declare var console: Console;

type TimerHandler = (...args: any[]) => void;
interface Timeout {
  ref(): this;
  unref(): this;
  hasRef(): boolean;
  refresh(): this;
}
declare function setTimeout(handler: TimerHandler, ms?: number, ...args: any[]): Timeout;
declare function clearTimeout(handle: Timeout | number | undefined): void;
declare function setInterval(handler: TimerHandler, ms?: number, ...args: any[]): Timeout;
declare function clearInterval(handle: Timeout | number | undefined): void;
declare function setImmediate(handler: TimerHandler, ...args: any[]): Timeout;
declare function clearImmediate(handle: Timeout | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare function atob(data: string): string;
declare function btoa(data: string): string;

declare var process: {
  /** The function's environment variables (strings) plus the platform's. */
  env: Record<string, string | undefined>;
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void;
  version: string;
  versions: Record<string, string>;
  platform: string;
  hrtime: { (time?: [number, number]): [number, number]; bigint(): bigint };
  uptime(): number;
  memoryUsage(): { heapUsed: number; heapTotal: number; rss: number; external: number };
};

declare var performance: { now(): number; timeOrigin: number };

declare var crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): string;
  subtle: {
    digest(algorithm: string | { name: string }, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer>;
    importKey(format: string, keyData: any, algorithm: any, extractable: boolean, usages: string[]): Promise<any>;
    sign(algorithm: any, key: any, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer>;
    verify(algorithm: any, key: any, signature: ArrayBuffer | ArrayBufferView, data: ArrayBuffer | ArrayBufferView): Promise<boolean>;
  };
};

declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | [string, string][]);
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  toString(): string;
  forEach(callback: (value: string, name: string) => void): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
declare class URL {
  constructor(url: string, base?: string | URL);
  hash: string; host: string; hostname: string; href: string; origin: string;
  password: string; pathname: string; port: string; protocol: string; search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}

/** A Node-style Buffer (the `buffer` package): the common surface. */
interface Buffer extends Uint8Array {
  toString(encoding?: 'utf8' | 'utf-8' | 'hex' | 'base64' | 'base64url' | 'latin1' | 'binary' | 'ascii', start?: number, end?: number): string;
  equals(other: Uint8Array): boolean;
  write(value: string, offset?: number, encoding?: string): number;
  toJSON(): { type: 'Buffer'; data: number[] };
}
declare var Buffer: {
  from(value: string, encoding?: string): Buffer;
  from(value: ArrayBuffer | ArrayLike<number>): Buffer;
  alloc(size: number, fill?: number | string): Buffer;
  allocUnsafe(size: number): Buffer;
  byteLength(value: string, encoding?: string): number;
  concat(list: readonly Uint8Array[], totalLength?: number): Buffer;
  isBuffer(value: unknown): value is Buffer;
};

// fetch (SPEC §7): only hosts on the account's allowlist are reachable.
type HeadersInit = Headers | Record<string, string> | [string, string][];
type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParams;
declare class Headers {
  constructor(init?: HeadersInit);
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callback: (value: string, name: string) => void): void;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: any;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare var AbortSignal: { timeout(ms: number): AbortSignal; abort(reason?: any): AbortSignal };
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: any): void;
}
interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  redirect?: 'follow' | 'error' | 'manual';
  signal?: AbortSignal | null;
}
declare class Request {
  constructor(input: string | URL | Request, init?: RequestInit);
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): Request;
}
interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}
declare class Response {
  constructor(body?: BodyInit | null, init?: ResponseInit);
  static json(data: any, init?: ResponseInit): Response;
  static error(): Response;
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected: boolean;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): Response;
}
declare function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;

// CommonJS.
declare function require(name: string): any;
declare var module: { exports: any };
declare var exports: any;

// ---------------------------------------------------------------------------------------------
// The toolbelt

declare module 'parley-toolbelt' {
  /** Thrown by every toolbelt client. `code` is one of ErrorCodes. */
  export class ToolBeltError extends Error {
    constructor(component: string, code: string, message: string);
    readonly name: 'ToolBeltError';
    component: string;
    code: string;
    /** OrchestratorClient: the callee's status when it failed. */
    statusCode?: number;
  }

  export const ErrorCodes: {
    readonly Platform: { readonly Secret: { readonly NoToken: string } };
    readonly Secret: {
      readonly Invalid: string; readonly Failure: string; readonly Timeout: string;
      readonly NotFound: string; readonly AuthFailure: string; readonly SystemSecret: string;
    };
    readonly Csds: { readonly NotFound: string; readonly Failure: string };
    readonly Mtls: {
      readonly General: string; readonly Remote: string; readonly Missing: string;
      readonly Invalid: { readonly Key: string; readonly Cert: string };
      readonly BadRequest: string;
      readonly Creds: { readonly Format: string; readonly Failure: string };
      readonly Timeout: string;
    };
    readonly OAuth2: { readonly General: string; readonly UnexpectedResponse: string };
    readonly LpClient: { readonly Creds: { readonly Format: string; readonly Failure: string } };
    readonly ConversationUtil: {
      readonly General: string; readonly NotFound: string; readonly UnexpectedResponse: string;
      readonly Timeout: string;
    };
    readonly GDPRUtil: { readonly General: string; readonly AuthFailure: string; readonly ReplaceFileFailed: string };
    readonly SDEsUtil: { readonly General: string; readonly UnexpectedResponse: string };
    readonly Context: {
      readonly Invalid: string; readonly NotFound: string; readonly LimitExceeded: string;
      readonly Failure: string;
    };
    readonly OrchestratorFN: {
      readonly General: string; readonly Timeout: string;
      readonly Invocation: { readonly StatusError: string };
      readonly Creds: { readonly Format: string; readonly Failure: string };
    };
  };

  // --- SecretClient ---
  export interface SecretEntry<V = any> {
    key: string;
    /** Plaintext secrets are strings; JSON secrets are parsed. */
    value: V;
  }
  export interface SecretReadOptions {
    /** Default true: values are cached for 5 minutes. */
    useCache?: boolean;
    /** ms, default 5000. */
    timeout?: number;
  }
  export interface ISecretClient {
    readSecret<V = any>(key: string, options?: SecretReadOptions): Promise<SecretEntry<V>>;
    /** Secrets are created by Admins; functions may update existing, non-system ones. */
    updateSecret<V = any>(secret: SecretEntry<V>, options?: { timeout?: number }): Promise<SecretEntry<V>>;
  }

  // --- ContextServiceClient ---
  export interface Namespace {
    name: string;
    createdAt: Date;
    /** Sessions expire this many seconds after their last write. */
    ttlSecond?: number;
  }
  export interface NamespaceOptions {
    /** Seconds; without it, sessions never expire. */
    ttl?: number;
  }
  export type Entity = Record<string, unknown>;
  /** Sessions default to "__default__". */
  export interface IContextServiceClient {
    createNamespace(namespace: string, options?: NamespaceOptions): Promise<Namespace>;
    deleteNamespace(namespace: string): Promise<void>;
    getListOfNamespaces(): Promise<Namespace[]>;
    setPropertiesInNamespace(namespace: string, properties: Entity, sessionId?: string): Promise<Entity>;
    updatePropertiesInNamespace(namespace: string, properties: Entity, sessionId?: string): Promise<Entity>;
    getAllPropertiesInSession(namespace: string, sessionId?: string): Promise<Entity>;
    getSelectedPropertiesInSession(namespace: string, propertyNames: string[], sessionId?: string): Promise<Entity>;
    getPropertyInSession(namespace: string, propertyName: string, sessionId?: string): Promise<unknown>;
    deletePropertyInSession(namespace: string, propertyName: string, sessionId?: string): Promise<void>;
    deleteSession(namespace: string, sessionId: string): Promise<void>;
    getListOfSessions(namespace: string): Promise<string[]>;
    /** Aliases some examples use. */
    getAllPropertiesInNamespace(namespace: string, sessionId?: string): Promise<Entity>;
    getSelectedPropertiesInNamespace(namespace: string, propertyNames: string[], sessionId?: string): Promise<Entity>;
    getPropertyInNamespace(namespace: string, propertyName: string, sessionId?: string): Promise<unknown>;
    deletePropertyInNamespace(namespace: string, propertyName: string, sessionId?: string): Promise<void>;
  }

  // --- OrchestratorClient ---
  export const ErrorStrategy: { readonly ExitOnError: 'ExitOnError'; readonly ContinueOnError: 'ContinueOnError' };
  export type ErrorStrategy = 'ExitOnError' | 'ContinueOnError';
  export interface OrchestratorInvocation {
    /** The function's uuid (or, in Parley, its name via `name`). */
    uuid?: string;
    name?: string;
    payload?: unknown;
    headers?: Record<string, string> | { key: string; value: string }[];
  }
  export interface OrchestratorOptions {
    /** ms per attempt; default deadline / number of invocations. */
    timeout?: number;
    /** Default 3 (on 429/500/502/504 and attempt timeouts). */
    retries?: number;
    errorStrategy?: ErrorStrategy;
    invokeParallel?: boolean;
  }
  export interface OrchestratorResult<R = unknown> {
    uuid: string;
    statusCode?: number;
    invocationId?: string;
    result?: R;
    /** With ContinueOnError, for a failed invocation. */
    error?: { code: string; message: string };
  }
  export interface IOrchestratorClient {
    /** `deadline`: ms, at most 25000. */
    invoke<R = unknown>(invocations: OrchestratorInvocation[], deadline: number,
                        options?: OrchestratorOptions): Promise<OrchestratorResult<R>[]>;
  }

  // --- HTTPClient (V1, request-promise style) ---
  export interface HttpRequestOptions {
    uri?: string;
    url?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: any;
    /** Send and parse JSON. */
    json?: boolean;
    qs?: Record<string, string | number | boolean>;
    /** Resolve with {statusCode, headers, body} instead of the body. */
    resolveWithFullResponse?: boolean;
    /** Default true: reject on non-2xx. */
    simple?: boolean;
    timeout?: number;
  }
  export interface HttpFullResponse<B = any> {
    statusCode: number;
    headers: Record<string, string>;
    body: B;
  }
  export type HttpClient = (options: HttpRequestOptions | string) => Promise<any>;

  // --- MTLSClient ---
  export interface ClientTLS {
    /** PEM */
    cert: string;
    key: string;
    ca?: string;
  }
  export interface MtlsRequestOptions {
    timeout?: number;
    json?: boolean;
    allowSelfSigned?: boolean;
  }
  export interface MtlsResponse<B = any> {
    statusCode: number;
    headers: Record<string, string>;
    body?: B;
  }
  export interface IMtlsClient {
    get(url: string, headers?: Record<string, string>, body?: any, options?: MtlsRequestOptions): Promise<MtlsResponse>;
    post(url: string, headers?: Record<string, string>, body?: any, options?: MtlsRequestOptions): Promise<MtlsResponse>;
    put(url: string, headers?: Record<string, string>, body?: any, options?: MtlsRequestOptions): Promise<MtlsResponse>;
    delete(url: string, headers?: Record<string, string>, body?: any, options?: MtlsRequestOptions): Promise<MtlsResponse>;
    patch(url: string, headers?: Record<string, string>, body?: any, options?: MtlsRequestOptions): Promise<MtlsResponse>;
    head(url: string, headers?: Record<string, string>, options?: MtlsRequestOptions): Promise<MtlsResponse>;
    options(url: string, headers?: Record<string, string>, options?: MtlsRequestOptions): Promise<MtlsResponse>;
  }

  // --- Salesforce ---
  /** instanceUrl (or loginUrl) and accessToken are required; refreshToken is accepted but not used. */
  export interface SalesforceConnectionConfig {
    loginUrl?: string;
    instanceUrl?: string;
    accessToken?: string;
    refreshToken?: string;
    version?: string;
  }
  export interface SalesforceQueryResult<T = Record<string, any>> {
    totalSize: number;
    done: boolean;
    records: T[];
    nextRecordsUrl?: string;
  }
  export interface SalesforceSaveResult {
    id: string;
    success: boolean;
    errors: any[];
  }
  export interface SalesforceSObject {
    create(record: Record<string, any>): Promise<SalesforceSaveResult>;
    retrieve(id: string): Promise<Record<string, any>>;
    update(record: Record<string, any> & { Id: string }): Promise<SalesforceSaveResult>;
    destroy(id: string): Promise<SalesforceSaveResult>;
  }
  export interface SalesforceConnection {
    instanceUrl: string;
    accessToken: string;
    /** API version without the "v", e.g. "59.0" (the default). */
    version: string;
    /** SOQL; follows nextRecordsUrl until done. */
    query<T = Record<string, any>>(soql: string): Promise<SalesforceQueryResult<T>>;
    sobject(name: string): SalesforceSObject;
  }
  export interface ISFClient {
    connectToSalesforce(config: SalesforceConnectionConfig): Promise<SalesforceConnection>;
  }

  // --- The conversational platform ---
  export const LpServices: {
    readonly MSG_HIST: 'msgHist'; readonly AGENT_VEP: 'agentVep';
    readonly ACCOUNT_CONFIG_READ_ONLY: 'accountConfigReadOnly';
    readonly ACCOUNT_CONFIG_READ_WRITE: 'accountConfigReadWrite';
    readonly ASYNC_MESSAGING: 'asyncMessaging'; readonly ASYNC_MESSAGING_EN: 'asyncMessagingEnt';
    readonly ENG_HIST_DOMAIN: 'engHistDomain'; readonly RTBF: 'rtbf'; readonly AUDITLOG: 'auditLog';
    readonly SMT: 'smt'; readonly PUSHER: 'pusher'; readonly LE_DATA_REPORTING: 'leDataReporting';
    readonly MSG_EWT_API: 'msgEwtAPI'; readonly MSDKGW: 'msdkgw';
  };
  export type LpService = (typeof LpServices)[keyof typeof LpServices];
  /** Calls a platform service with the account's default app key (system secret). */
  export type ILpClient = (service: LpService | string, path: string,
                           options?: RequestInit & { appKeySecretName?: string }) => Promise<Response>;

  export const ConversationContentTypes: {
    readonly INFO: 'info'; readonly SDES: 'sdes'; readonly UNAUTH_SDES: 'unAuthSdes';
    readonly CAMPAIGN: 'campaign'; readonly MESSAGE_RECORDS: 'messageRecords';
    readonly AGENT_PARTICIPANTS: 'agentParticipants';
    readonly AGENT_PARTICIPANTS_ACTIVE: 'agentParticipantsActive';
    readonly CONSUMER_PARTICIPANTS: 'consumerParticipants'; readonly TRANSFERS: 'transfers';
    readonly INTERACTIONS: 'interactions'; readonly MESSAGE_SCORES: 'messageScores';
    readonly MESSAGE_STATUSES: 'messageStatuses'; readonly SKILL_CHANGES: 'skillChanges';
    readonly CONVERSATION_SURVEYS: 'conversationSurveys';
    readonly AGENT_PARTICIPANTS_LEAVE: 'agentParticipantsLeave';
    readonly COBROWSE_SESSIONS: 'coBrowseSessions'; readonly SUMMARY: 'summary';
    readonly MONITORING: 'monitoring'; readonly DIALOGS: 'dialogs';
    readonly RESPONSE_TIME: 'responseTime'; readonly INTENTS: 'intents';
    readonly UNIQUE_INTENTS: 'uniqueIntents'; readonly LATEST_AGENT_SURVEY: 'latestAgentSurvey';
    readonly PREVIOUSLY_SUBMITTED_AGENT_SURVEYS: 'previouslySubmittedAgentSurveys';
  };
  export type ConversationContentType = (typeof ConversationContentTypes)[keyof typeof ConversationContentTypes];
  export type Conversation = Record<string, any> & {
    info?: Record<string, any>;
    messageRecords?: { messageData?: any; sentBy?: string; timeL?: number; [k: string]: any }[];
  };
  export interface KeywordMatch {
    message: string;
    sentTimestamp: number;
    sentBy: string;
    tag: string;
  }
  export interface IConversationUtil {
    getConversationById(conversationId: string, contentToRetrieve?: ConversationContentType[]): Promise<Conversation>;
    scanConversationForKeywords(conversation: Conversation, keywords: string[]): KeywordMatch[];
  }

  export const SDETypes: {
    readonly CART: 'cart'; readonly TRANSACTION: 'purchase'; readonly VIEWED_PRODUCT: 'prodView';
    readonly CUSTOMER_INFO: 'ctmrinfo'; readonly MARKETING_SOURCE: 'mrktInfo';
    readonly PERSONAL_INFO: 'personal'; readonly LEAD: 'lead'; readonly SERVICE_ACTIVITY: 'service';
    readonly VISITOR_ERROR: 'error'; readonly SEARCHED_CONTENT: 'searchInfo'; readonly ORDER_ID: 'orderId';
  };
  export interface SDE {
    type: (typeof SDETypes)[keyof typeof SDETypes] | string;
    [field: string]: any;
  }
  export interface ISDEUtil {
    /** Not real time: may take more than 30 s to show. */
    addSDEs(sdes: SDE[], visitorId: string, sessionId: string): Promise<void>;
    getSDEsFromConv(conversation: Conversation): { sdes?: any[]; unAuthSdes?: any[] };
  }

  export interface IGDPRUtil {
    /** Replaces every file of the conversation (a 1×1 black PNG by default). Irreversible. */
    replaceConversationFiles(conversation: Conversation, credentials: { username: string; password: string },
                             shouldReplace?: (path: string) => boolean,
                             replacementFile?: { body: Buffer; contentType: string }): Promise<string[]>;
  }

  export interface ICsdsClient {
    /** The host of a platform service (cached 10 minutes). */
    get(service: string): Promise<string>;
    getAll(): Promise<Record<string, string>[]>;
  }

  export class Toolbelt {
    static SecretClient(options?: { cache?: { ttl?: number } }): ISecretClient;
    static ContextServiceClient(apiKeyOrConfig?: string | { accountId?: string; apiKey?: string }): IContextServiceClient;
    static OrchestratorClient(): IOrchestratorClient;
    /** V1 only; V2 functions use the global fetch. */
    static HTTPClient(): HttpClient;
    static MTLSClient(clientTLS: ClientTLS): IMtlsClient;
    /** Deprecated by LivePerson in V2. */
    static SFClient(): ISFClient;
    static LpClient(): ILpClient;
    static ConversationUtil(): IConversationUtil;
    static SDEUtil(): ISDEUtil;
    static GDPRUtil(): IGDPRUtil;
    static CsdsClient(): ICsdsClient;
  }
}

declare module 'lp-faas-toolbelt' {
  export * from 'parley-toolbelt';
}
declare module 'core-functions-toolbelt' {
  export * from 'parley-toolbelt';
}

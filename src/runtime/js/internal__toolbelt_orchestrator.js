// Toolbelt.OrchestratorClient: invoke other functions of the same account over the
// "functions.invoke" host service (control/orchestrator.h). Loaded by toolbelt.js, which passes
// {ToolBeltError, ErrorCodes}.
//
// invoke(invocations, deadline, options?) as LivePerson's client:
// - invocations: [{uuid (or name), payload?, headers?}]; headers may be an object or
//   [{key, value}].
// - deadline: ms, 1..25000: the whole call settles by then.
// - options: {timeout = floor(deadline / n) per attempt, retries = 3, errorStrategy =
//   'ExitOnError' | 'ContinueOnError', invokeParallel = false}.
// - Retries on 429, 500, 502, 504 and on an attempt's timeout, sleeping attempt × 100 ms.
// - Resolves to one entry per invocation, in order: {uuid, statusCode, invocationId, result} or, with
//   ContinueOnError, {uuid, statusCode?, error: {code, message}} for the failed ones. With
//   ExitOnError the first failure rejects (a ToolBeltError) and nothing more is started.
'use strict';
const native = arguments[5];

module.exports = function orchestratorClients({ ToolBeltError, ErrorCodes }) {
  const MAX_DEADLINE_MS = 25000;
  const RETRY_STATUS = new Set([429, 500, 502, 504]);
  const ErrorStrategy = Object.freeze({ ExitOnError: 'ExitOnError', ContinueOnError: 'ContinueOnError' });
  const fail = (code, message, statusCode) => {
    const e = new ToolBeltError('OrchestratorClient', code, message);
    if (statusCode !== undefined) e.statusCode = statusCode;
    return e;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // One attempt, settled by `timeoutMs`: {statusCode, result?, errorCode?, errorMessage?}.
  function attempt(invocation, timeoutMs) {
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ statusCode: 0, timedOut: true }), timeoutMs);
    });
    const args = {
      function: invocation.uuid || invocation.name,
      payload: invocation.payload === undefined ? {} : invocation.payload,
      headers: invocation.headers,
      timestamp: Date.now(),
    };
    const call = native.hostCall('functions.invoke', JSON.stringify(args)).then(({ result }) => result,
      (e) => ({ statusCode: 500, errorCode: e && e.code, errorMessage: e && e.message }));
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  async function invokeOne(invocation, timeoutMs, retries, endsAt) {
    for (let n = 0; ; ++n) {
      const left = endsAt - Date.now();
      if (left <= 0) throw fail(ErrorCodes.OrchestratorFN.Timeout, 'The orchestration deadline passed');
      const r = await attempt(invocation, Math.min(timeoutMs, left));
      if (r.statusCode === 200) return r;
      const retryable = r.timedOut || RETRY_STATUS.has(r.statusCode);
      if (!retryable || n >= retries || Date.now() + (n + 1) * 100 >= endsAt) {
        if (r.timedOut) {
          throw fail(ErrorCodes.OrchestratorFN.Timeout,
            `Function ${invocation.uuid || invocation.name} did not answer within ${timeoutMs} ms`);
        }
        const code = r.statusCode === 901 && r.errorCode ? r.errorCode : ErrorCodes.OrchestratorFN.Invocation.StatusError;
        throw fail(code, `Invoking ${invocation.uuid || invocation.name} failed with status ${r.statusCode}: ${r.errorMessage}`,
          r.statusCode);
      }
      await sleep((n + 1) * 100);
    }
  }

  function check(invocations, deadline, options) {
    if (!Array.isArray(invocations) || invocations.length === 0) {
      throw fail(ErrorCodes.OrchestratorFN.General, 'invocations must be a non-empty array');
    }
    for (const i of invocations) {
      if (i === null || typeof i !== 'object' || (typeof i.uuid !== 'string' && typeof i.name !== 'string')) {
        throw fail(ErrorCodes.OrchestratorFN.General, 'each invocation needs a uuid (or name)');
      }
    }
    if (typeof deadline !== 'number' || !(deadline > 0) || deadline > MAX_DEADLINE_MS) {
      throw fail(ErrorCodes.OrchestratorFN.General, `the deadline must be 1 to ${MAX_DEADLINE_MS} ms`);
    }
    const strategy = options.errorStrategy === undefined ? ErrorStrategy.ExitOnError : options.errorStrategy;
    if (strategy !== ErrorStrategy.ExitOnError && strategy !== ErrorStrategy.ContinueOnError) {
      throw fail(ErrorCodes.OrchestratorFN.General, 'errorStrategy must be ExitOnError or ContinueOnError');
    }
    return strategy;
  }

  class OrchestratorClient {
    async invoke(invocations, deadline, options = {}) {
      options = options || {};
      const strategy = check(invocations, deadline, options);
      const endsAt = Date.now() + deadline;
      const timeoutMs = typeof options.timeout === 'number' && options.timeout > 0
        ? options.timeout : Math.floor(deadline / invocations.length);
      const retries = Number.isInteger(options.retries) && options.retries >= 0 ? options.retries : 3;
      const exitOnError = strategy === ErrorStrategy.ExitOnError;
      let stopped = false;

      const run = async (invocation) => {
        const id = invocation.uuid || invocation.name;
        if (stopped) return { uuid: id, error: { code: ErrorCodes.OrchestratorFN.General, message: 'Not run: an earlier invocation failed' } };
        try {
          const r = await invokeOne(invocation, timeoutMs, retries, endsAt);
          return { uuid: id, statusCode: 200, invocationId: r.invocationId, result: r.result };
        } catch (e) {
          if (exitOnError) { stopped = true; throw e; }
          const entry = { uuid: id, error: { code: e.code, message: e.message } };
          if (e.statusCode !== undefined) entry.statusCode = e.statusCode;
          return entry;
        }
      };

      let overall;
      const deadlineHit = new Promise((resolve, reject) => {
        overall = setTimeout(() => {
          stopped = true;
          reject(fail(ErrorCodes.OrchestratorFN.Timeout, `The orchestration did not finish within its deadline of ${deadline} ms`));
        }, deadline);
      });
      const all = (async () => {
        if (options.invokeParallel) return Promise.all(invocations.map(run));
        const out = [];
        for (const invocation of invocations) out.push(await run(invocation));
        return out;
      })();
      try {
        return await Promise.race([all, deadlineHit]);
      } finally {
        clearTimeout(overall);
        all.catch(() => {});  // a failure after the race settled is not an unhandled rejection
      }
    }
  }

  return { OrchestratorClient, ErrorStrategy };
};

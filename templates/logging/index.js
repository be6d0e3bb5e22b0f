// Logging: each console method writes one log entry of its level. The first argument is the
// message, the others are kept as structured "extras". Debug entries are kept only for test
// runs (the console's Test panel, `parley test`); Info, Warn and Error are kept for 30 days.
async function lambda(input) {
  const started = Date.now();
  const payload = input.payload || {};
  console.debug('Raw input', input);
  console.info('Processing request', { keys: Object.keys(payload), headers: (input.headers || []).length });
  if (!payload.orderId) {
    console.warn('No orderId in the payload; using a placeholder');
  }
  try {
    JSON.parse(payload.json || '{}');
  } catch (e) {
    console.error('The "json" field is not valid JSON', e.message);
  }
  const elapsedMs = Date.now() - started;
  console.info('Done', { elapsedMs });
  return { logged: true, orderId: payload.orderId || 'unknown' };
}

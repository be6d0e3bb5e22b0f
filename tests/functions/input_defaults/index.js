// An empty input gets a timestamp (now, in ms) and an empty headers list.
async function lambda(input) {
  const age = Date.now() - input.timestamp;
  return {
    keys: Object.keys(input).sort(),
    timestampIsNumber: typeof input.timestamp === 'number',
    timestampIsRecent: age >= 0 && age < 60000,
    headers: input.headers,
    payload: input.payload === undefined ? 'undefined' : input.payload,
  };
}

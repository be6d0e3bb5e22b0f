// Trivial: echo one field of the payload.
function handle(payload) {
  return { ok: true, n: payload.n };
}

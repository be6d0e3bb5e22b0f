// No filesystem, processes or sockets: those Node modules are not importable.
async function lambda(input) {
  const refused = [];
  for (const name of ['fs', 'node:fs', 'fs/promises', 'child_process', 'net', 'dgram', 'tls', 'vm', 'worker_threads']) {
    try { require(name); } catch (e) { if (e.code === 'MODULE_NOT_FOUND') refused.push(name); }
  }
  return refused;
}

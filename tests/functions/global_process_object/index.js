async function lambda(input) {
  const [s, ns] = process.hrtime();
  let exitError;
  try { process.exit(0); } catch (e) { exitError = e.message; }
  return {
    platform: process.platform,
    versionLooksLikeNode: /^v\d+\.\d+\.\d+$/.test(process.version),
    hrtime: Number.isInteger(s) && Number.isInteger(ns),
    hrtimeBigint: typeof process.hrtime.bigint(),
    cwd: process.cwd(),
    exitError,
  };
}

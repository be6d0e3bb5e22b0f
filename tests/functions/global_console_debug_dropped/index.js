// Debug logs are kept only for test invocations (keepDebugLogs).
async function lambda(input) {
  console.debug('dropped');
  console.info('kept');
  return 'ok';
}

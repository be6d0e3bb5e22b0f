// The default size limit: 64 KiB of messages and extras per invocation. Each entry here is
// 1000 bytes of message + 2 bytes of extras ("[]"): 65 entries fit, the 66th does not.
async function lambda(input) {
  const line = 'x'.repeat(1000);
  for (let i = 0; i < 99; i++) console.log(line);
  return 'unreachable';
}

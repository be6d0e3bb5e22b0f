const config = JSON.parse('{"ok": true}');
if (config.ok) throw new Error('top-level failure');

async function lambda(input) {
  return 'unreachable';
}

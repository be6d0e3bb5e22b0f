async function lambda(input) {
  try {
    await import('node:child_process');
    return 'imported';
  } catch (e) {
    return { code: e.code, namesModule: e.message.includes("'node:child_process'"), lists: e.message.includes('lodash') };
  }
}

globalThis.setAtTopLevel = 'top';
var declaredWithVar = 'var';

async function lambda(input) {
  global.viaGlobal = 1;
  return {
    same: global === globalThis,
    viaGlobalThis: globalThis.viaGlobal,
    setAtTopLevel: global.setAtTopLevel,
    varIsGlobal: globalThis.declaredWithVar,
    lambdaIsGlobal: typeof globalThis.lambda,
    noWindow: typeof window,
    noRequireOnGlobalFs: typeof globalThis.fs,
    builtins: ['console', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval',
      'clearImmediate', 'queueMicrotask', 'structuredClone', 'URL', 'URLSearchParams', 'TextEncoder',
      'TextDecoder', 'atob', 'btoa', 'crypto', 'Buffer', 'performance', 'process']
      .filter((name) => typeof globalThis[name] === 'undefined'),
  };
}

#!/usr/bin/env node
// Bundles the JS modules that Parley user functions may require/import.
//
//   node js/build.mjs <outDir>
//
// writes <outDir>/modules/<name>.js (one self-contained file per module, '/' in a name becoming
// '__' in the file name) and <outDir>/modules/index.json. Files whose content did not change are
// not rewritten, so their timestamps stay put and incremental builds stay quick.
//
// Contract of a bundle (see README.md): the file is the BODY of a CommonJS module. The runtime
// runs it as `(function (exports, require, module, __filename, __dirname) { <body> \n})`, and its
// `require` resolves only the module names below (with or without a `node:` prefix) plus
// `crypto`, which the runtime implements natively. So everything else is bundled in, and those
// names are left as plain `require("<name>")` calls.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const JS_DIR = path.dirname(fileURLToPath(import.meta.url));
const SRC_DIR = path.join(JS_DIR, 'src');
const requireFromJs = createRequire(path.join(JS_DIR, 'package.json'));

// name:     what user code requires.
// entry:    what gets bundled: a package specifier, or glue in src/ where the package alone does
//           not match Node's module.
// packages: the npm packages the module is made of; the first one's version is the module's.
// builtin:  the module stands in for a Node.js core module.
export const MODULES = [
  { name: 'lodash', entry: 'lodash', packages: ['lodash'] },
  { name: 'luxon', entry: 'luxon', packages: ['luxon'] },
  { name: 'es-toolkit', entry: 'es-toolkit', packages: ['es-toolkit'] },
  { name: 'es-toolkit/compat', entry: 'es-toolkit/compat', packages: ['es-toolkit'] },
  { name: 'oauth-1.0a', entry: 'oauth-1.0a', packages: ['oauth-1.0a'] },
  { name: 'jsonwebtoken', entry: 'jsonwebtoken', packages: ['jsonwebtoken'] },
  { name: 'buffer', entry: './src/buffer.js', packages: ['buffer'], builtin: true },
  { name: 'url', entry: './src/url.js', packages: ['whatwg-url', 'url'], builtin: true },
  { name: 'util', entry: './src/util.js', packages: ['util'], builtin: true },
  { name: 'querystring', entry: './src/querystring.js', packages: ['querystring-es3'], builtin: true },
  { name: 'events', entry: 'events', packages: ['events'], builtin: true },
  { name: 'stream', entry: './src/stream.js', packages: ['stream-browserify', 'readable-stream'], builtin: true },
  { name: 'string_decoder', entry: 'string_decoder', packages: ['string_decoder'], builtin: true },
];

// Implemented by the runtime itself, never bundled.
export const NATIVE_MODULES = ['crypto'];

export const RESOLVABLE = new Set([...MODULES.map((m) => m.name), ...NATIVE_MODULES]);

export const fileNameOf = (name) => `${name.replace(/\//g, '__')}.js`;

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
// `buffer`, `node:buffer` and `buffer/` (the old idiom for "the npm package, not the builtin")
// all name the same module.
const RESOLVABLE_RE = new RegExp(`^(?:node:)?(${[...RESOLVABLE].map(escapeRe).join('|')})/?$`);

const inNodeModules = (file) => file.split(path.sep).includes('node_modules');
const inPackage = (file, pkg) => file.includes(`${path.sep}node_modules${path.sep}${pkg}${path.sep}`);

// Resolution rules shared by every bundle. `self` is the module being built.
function parleyPlugin(self) {
  return {
    name: 'parley',
    setup(build) {
      // jsonwebtoken decides which key checks to run by testing process.version with semver.
      // The runtime's crypto follows Node 18, where all three are true; fixing them here keeps the
      // bundle off process.version and leaves semver out of it.
      build.onLoad(
        { filter: /[\\/]jsonwebtoken[\\/]lib[\\/](asymmetricKeyDetailsSupported|psSupported|rsaPssKeyDetailsSupported)\.js$/ },
        () => ({ contents: 'module.exports = true; // Parley: the runtime crypto is Node-18-like\n', loader: 'js' }),
      );

      // One punycode for the whole bundle: tr46 wants 2.x, the `url` package pins 1.4.1, whose
      // toASCII is the same. (Both ask for "punycode/" to avoid Node's deprecated builtin.)
      build.onResolve({ filter: /^punycode\/?$/ }, () => ({ path: requireFromJs.resolve('punycode/punycode.js') }));

      // url@0.11.4 parses queries with `qs`; Node's legacy url.parse uses querystring. See src/url-qs.js.
      build.onResolve({ filter: /^qs$/ }, (args) =>
        inPackage(args.importer, 'url') ? { path: path.join(SRC_DIR, 'url-qs.js') } : undefined);

      if (self.name === 'stream') {
        // readable-stream's browser build makes its streams plain EventEmitters; point its base
        // class at stream-browserify's Stream so that `readable instanceof Stream`, as in Node.
        build.onResolve({ filter: /^\.\/internal\/streams\/stream$/ }, (args) =>
          inPackage(args.importer, 'readable-stream') ? { path: requireFromJs.resolve('stream-browserify') } : undefined);
        // Its browser build also replaces Readable.from with a stub that throws; the Node version
        // is plain JS (async iteration), so use it.
        build.onResolve({ filter: /^\.\/internal\/streams\/from$/ }, (args) =>
          inPackage(args.importer, 'readable-stream')
            ? { path: path.join(path.dirname(args.importer), 'internal', 'streams', 'from.js') }
            : undefined);
      }

      // Names the runtime resolves stay `require("<name>")` calls, normalised to the bare name.
      build.onResolve({ filter: RESOLVABLE_RE }, (args) => {
        const name = RESOLVABLE_RE.exec(args.path)[1];
        if (name !== self.name) return { path: name, external: true };
        // The module's own name: from the entry or glue it means the npm package of that name,
        // which is bundled; from inside a dependency it would be a require cycle through the
        // runtime, which we refuse rather than ship.
        if (!inNodeModules(args.importer)) return undefined; // esbuild resolves it normally
        return { errors: [{ text: `"${args.importer}" requires "${args.path}", the module being built` }] };
      });
    },
  };
}

function packageVersion(pkg) {
  return JSON.parse(fs.readFileSync(requireFromJs.resolve(`${pkg}/package.json`), 'utf8')).version;
}

// The only `process` members a bundle may touch: the runtime has process.env and
// process.nextTick; the rest are feature probes that must cope with `undefined`.
export const PROCESS_MEMBERS_ALLOWED = new Set([
  'env', 'nextTick', 'noDeprecation', 'throwDeprecation', 'traceDeprecation', 'pid',
]);

function checkBundle(mod, text, metafile) {
  const problems = [];
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (imp.external && !RESOLVABLE.has(imp.path)) {
        problems.push(`requires "${imp.path}", which the runtime cannot resolve`);
      }
    }
  }
  for (const [, member] of text.matchAll(/\bprocess\.([A-Za-z_$][\w$]*)/g)) {
    if (!PROCESS_MEMBERS_ALLOWED.has(member)) problems.push(`uses process.${member}`);
  }
  if (problems.length) {
    throw new Error(`module "${mod.name}": ${[...new Set(problems)].join('; ')}`);
  }
}

async function bundle(mod) {
  const result = await esbuild.build({
    // The entry is always a one-line CommonJS stub, so that every bundled file, glue included,
    // keeps its own strictness inside its own wrapper: an entry file's "use strict" would
    // otherwise be hoisted to the top of the bundle and apply to all the sloppy code in it.
    stdin: {
      contents: `module.exports = require(${JSON.stringify(mod.entry)});\n`,
      resolveDir: JS_DIR,
      sourcefile: `parley-entry:${mod.name}`,
      loader: 'js',
    },
    bundle: true,
    write: false,
    absWorkingDir: JS_DIR, // module paths inside the bundle are relative to js/, whatever the cwd
    outfile: fileNameOf(mod.name), // only names the in-memory output
    format: 'cjs',
    platform: 'browser', // honours packages' "browser" fields, which drop Node-only code
    mainFields: ['browser', 'main'], // CommonJS over ESM builds: no interop wrappers
    target: 'es2020',
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'eof',
    charset: 'ascii', // non-ASCII is escaped, which keeps the C++ embedding simple
    define: {
      // Old packages find the global object as `global`; the runtime does not promise one.
      global: 'globalThis',
      // readable-stream skips ending process.stdout/stderr in pipe(); the runtime has neither.
      'process.stdout': 'undefined',
      'process.stderr': 'undefined',
    },
    banner: { js: `/* Parley module "${mod.name}": ${mod.packages.map((p) => `${p}@${packageVersion(p)}`).join(', ')} */` },
    metafile: true,
    logLevel: 'silent',
    plugins: [parleyPlugin(mod)],
  });
  for (const w of result.warnings) {
    const where = w.location ? ` (${w.location.file}:${w.location.line})` : '';
    console.warn(`build.mjs: warning in module "${mod.name}": ${w.text}${where}`);
  }
  const text = result.outputFiles[0].text;
  checkBundle(mod, text, result.metafile);
  return text;
}

function writeIfChanged(file, content) {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(`${file}.tmp`, content);
  fs.renameSync(`${file}.tmp`, file);
  return true;
}

// Builds every module into <outDir>/modules. Returns [{ name, file, bytes, changed }].
export async function build(outDir) {
  const dir = path.join(path.resolve(outDir), 'modules');
  fs.mkdirSync(dir, { recursive: true });
  const texts = await Promise.all(MODULES.map(bundle));

  const summary = MODULES.map((mod, i) => {
    const file = fileNameOf(mod.name);
    const changed = writeIfChanged(path.join(dir, file), texts[i]);
    return { name: mod.name, file, bytes: Buffer.byteLength(texts[i]), changed };
  });

  const index = MODULES.map((mod) => ({
    name: mod.name,
    file: fileNameOf(mod.name),
    version: packageVersion(mod.packages[0]),
    builtin: Boolean(mod.builtin),
    packages: Object.fromEntries(mod.packages.map((p) => [p, packageVersion(p)])),
  }));
  writeIfChanged(path.join(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);

  // Drop bundles of modules that no longer exist, so that embed.mjs does not pick them up.
  const wanted = new Set(summary.map((s) => s.file));
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.js') && !wanted.has(f)) fs.rmSync(path.join(dir, f));
  }
  return summary;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const outDir = process.argv[2];
  if (!outDir || process.argv.length > 3) {
    console.error('usage: node js/build.mjs <outDir>');
    process.exit(2);
  }
  try {
    const summary = await build(outDir);
    for (const s of summary) {
      console.log(`${s.changed ? 'wrote    ' : 'unchanged'} ${s.file.padEnd(24)} ${String(s.bytes).padStart(9)} bytes`);
    }
  } catch (err) {
    // esbuild's own errors already carry file and line in their message.
    console.error(`build.mjs: ${err.message}`);
    process.exit(1);
  }
}

/**
 * The bundles package.json's exports map names: for each entry (`.` = lib/index.ts, `./wire` =
 * lib/wire.ts) an ES module for `import` and a CommonJS module for `require`. rxjs stays
 * external: the application's rxjs is the one Operations are made with.
 *
 * Both entries share one copy of the code per format, because they share state and classes: a
 * codec registered through rxldap/wire must be the registry the Client reads, and a
 * ProtocolError thrown by wire's decodeMessage must be the class rxldap exports. ESM gets this
 * from esbuild's code splitting (a shared chunk); CommonJS cannot be split by esbuild, so one
 * CommonJS bundle holds both namespaces and each entry file hands out its own.
 *
 * The ES modules differ from the CommonJS bundle in two ways, both for Node's `import`:
 * - `require` exists in them (node:module's createRequire): lib/util/lazy-builtins.ts loads TLS,
 *   crypto, zlib and fs/promises on first use with a synchronous require.
 * - They take rxjs from `#rxjs`, package.json's subpath import. rxjs's exports map gives Node
 *   its CommonJS build under `import` too, so importing it makes Node's ESM loader resolve and
 *   translate CommonJS (its export scanner, a module wrapper), a few ms of every start; for Node
 *   (`default`) #rxjs is rxjs-for-node.mjs, which requires the same files instead: the same
 *   module instances the application's `import 'rxjs'` gets, without the translation. A bundler
 *   (the `module` condition) gets rxjs-for-bundlers.mjs, plain imports it can follow and bundle.
 */
import { build } from 'esbuild';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const common = { bundle: true, platform: 'node', target: 'node20', external: ['rxjs', 'rxjs/*'], sourcemap: true, logLevel: 'warning', absWorkingDir: root };
const entries = { rxldap: 'client', wire: 'wire' };

/** lib/util/rxjs.ts's deep rxjs paths, in the ES modules: the `#rxjs` subpath import instead. */
const rxjsThroughSubpathImport = {
  name: 'rxjs-through-subpath-import',
  setup(build) {
    build.onResolve({ filter: /^rxjs\/internal\/(Observable|Subject)$/ }, () => ({ path: '#rxjs', external: true }));
  },
};

await build({
  ...common,
  entryPoints: { rxldap: 'lib/index.ts', wire: 'lib/wire.ts' },
  format: 'esm',
  splitting: true,
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'rxldap-shared-[hash]',
  banner: { js: "import { createRequire as __rxldapCreateRequire } from 'node:module';\nconst require = __rxldapCreateRequire(import.meta.url);" },
  plugins: [rxjsThroughSubpathImport],
});

// The two faces of `#rxjs` (package.json "imports"); the classes lib/util/rxjs.ts re-exports.
await writeFile(
  join(dist, 'rxjs-for-node.mjs'),
  [
    "// Node's import of rxjs gives its CommonJS build anyway: requiring it skips the ESM loader's translation.",
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    "export const { Observable } = require('rxjs/internal/Observable');",
    "export const { Subject } = require('rxjs/internal/Subject');",
    '',
  ].join('\n'),
);
await writeFile(
  join(dist, 'rxjs-for-bundlers.mjs'),
  ["export { Observable } from 'rxjs/internal/Observable';", "export { Subject } from 'rxjs/internal/Subject';", ''].join('\n'),
);

await build({
  ...common,
  stdin: {
    contents: Object.entries(entries).map(([, namespace]) => `export * as ${namespace} from './lib/${namespace === 'client' ? 'index' : namespace}';`).join('\n'),
    resolveDir: root,
    sourcefile: 'rxldap-cjs-entries.ts',
    loader: 'ts',
  },
  format: 'cjs',
  outfile: join(dist, 'rxldap-shared.cjs'),
});
for (const [file, namespace] of Object.entries(entries)) {
  await writeFile(join(dist, `${file}.cjs`), `'use strict';\nmodule.exports = require('./rxldap-shared.cjs').${namespace};\n`);
}

/*
 * Every bundle pure ASCII. esbuild escapes strings, templates and identifiers (charset ascii)
 * but copies comments as written, and one `§` or `→` in a comment makes Node hand V8 the whole
 * file as a two-byte string, decoded from UTF-8 and scanned as UTF-16: some 10 M instructions
 * (callgrind) of every require or import of the package. What is left outside ASCII is in
 * comments, where a \uXXXX escape changes nothing that runs; a regular expression literal is
 * escaped in the source instead (lib/matching/string-prep.ts), so that no line that holds code
 * changes length and the source maps still point right.
 */
const toAscii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
for (const file of await readdir(dist)) {
  if (!/\.(mjs|cjs)$/.test(file)) continue;
  const path = join(dist, file);
  const text = await readFile(path, 'utf8');
  const ascii = toAscii(text);
  if (ascii !== text) await writeFile(path, ascii);
}

/**
 * The bundles package.json's exports map names: for each entry (`.` = lib/index.ts, `./wire` =
 * lib/wire.ts, `./sqlite-store` = lib/sqlite-store.ts) an ES module for `import` and a CommonJS
 * module for `require`. rxjs stays external: the application's rxjs is the one Operations are
 * made with. better-sqlite3 stays external too: it is an optional peer dependency, loaded with a
 * dynamic import when a SqliteSyncStore opens, so the shared code never requires it at load.
 *
 * The entries share one copy of the code per format, because they share state and classes: a
 * codec registered through rxldap/wire must be the registry the Client reads, and a
 * ProtocolError thrown by wire's decodeMessage must be the class rxldap exports. ESM gets this
 * from esbuild's code splitting (a shared chunk); CommonJS cannot be split by esbuild, so one
 * CommonJS bundle holds both namespaces and each entry file hands out its own.
 *
 * `./schemas` (lib/schemas.ts) is the shipped schema snapshots: plain data, no classes, so it is
 * bundled on its own in each format, and the main bundles keep it external: rxldap's
 * loadSchemaSnapshot() imports it by the package's name when first called, and applications
 * that never ask for a snapshot never load its few hundred kilobytes.
 */
import { build } from 'esbuild';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const common = { bundle: true, platform: 'node', target: 'node20', external: ['rxjs', 'rxjs/*', 'rxldap/schemas', 'better-sqlite3'], sourcemap: true, logLevel: 'warning', absWorkingDir: root };
const entries = { rxldap: 'client', wire: 'wire', 'sqlite-store': 'sqliteStore' };
const sources = { client: 'index', wire: 'wire', sqliteStore: 'sqlite-store' };

await build({
  ...common,
  entryPoints: { rxldap: 'lib/index.ts', wire: 'lib/wire.ts', 'sqlite-store': 'lib/sqlite-store.ts' },
  format: 'esm',
  splitting: true,
  // The lazy loaders (lib/util/lazy-builtins.ts) call require() so that TLS, crypto, zlib and fs
  // cost nothing until used; an ES module has no require, so each ESM file makes its own.
  banner: { js: "import { createRequire as rxldapCreateRequire } from 'node:module';\nconst require = rxldapCreateRequire(import.meta.url);" },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'rxldap-shared-[hash]',
});

await build({
  ...common,
  stdin: {
    contents: Object.values(entries).map((namespace) => `export * as ${namespace} from './lib/${sources[namespace]}';`).join('\n'),
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

for (const [format, extension] of [['esm', 'mjs'], ['cjs', 'cjs']]) {
  await build({ ...common, entryPoints: ['lib/schemas.ts'], format, outfile: join(dist, `schemas.${extension}`) });
}

// The rxldap command (package.json `bin`): one CommonJS file with a shebang. Its code imports
// the package only through lib/index.ts (a lint rule keeps it so), which is resolved here to the
// package's own bundle beside it: the command runs the code `require('rxldap')` gives, and adds
// no copy of it.
const packageEntry = {
  name: 'rxldap-package-entry',
  setup(plugin) {
    plugin.onResolve({ filter: /^(\.\.\/)+index$/ }, (args) =>
      join(args.resolveDir, args.path) === join(root, 'lib', 'index') ? { path: './rxldap.cjs', external: true } : undefined,
    );
  },
};
await build({
  ...common,
  sourcemap: false,
  entryPoints: ['lib/cli/bin.ts'],
  format: 'cjs',
  outfile: join(dist, 'cli.cjs'),
  banner: { js: '#!/usr/bin/env node' },
  plugins: [packageEntry],
});
await chmod(join(dist, 'cli.cjs'), 0o755);

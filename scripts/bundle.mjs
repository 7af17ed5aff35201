/**
 * The bundles package.json's exports map names: for each entry (`.` = lib/index.ts, `./wire` =
 * lib/wire.ts, `./server` = lib/server.ts) an ES module for `import` and a CommonJS module for
 * `require`. rxjs stays external: the application's rxjs is the one Operations are made with.
 *
 * The entries share one copy of the code per format, because they share state and classes: a
 * codec registered through rxldap/wire must be the registry the Client reads, and a
 * ProtocolError thrown by wire's decodeMessage must be the class rxldap exports. ESM gets this
 * from esbuild's code splitting (shared chunks); CommonJS cannot be split by esbuild, so one
 * CommonJS bundle holds the client and wire namespaces and each entry file hands out its own.
 *
 * The in-memory directory (rxldap/server) must not make the client heavier: its CommonJS bundle
 * is separate, and every piece of rxldap it uses reaches it through lib/server/deps.ts, which
 * that build resolves to a namespace of the shared bundle (the client's own classes and
 * registries; nothing added to it but the namespace object). In ESM, splitting does the same.
 *
 * `./schemas` (lib/schemas.ts) is the shipped schema snapshots: plain data, no classes, so it is
 * bundled on its own in each format, and the main bundles keep it external: rxldap's
 * loadSchemaSnapshot() imports it by the package's name when first called, and applications
 * that never ask for a snapshot never load its few hundred kilobytes.
 */
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const common = { bundle: true, platform: 'node', target: 'node20', external: ['rxjs', 'rxjs/*', 'rxldap/schemas'], sourcemap: true, logLevel: 'warning', absWorkingDir: root };
const entries = { rxldap: 'client', wire: 'wire' };
const SERVER_DEPS = join(root, 'lib', 'server', 'deps.ts');

await build({
  ...common,
  entryPoints: { rxldap: 'lib/index.ts', wire: 'lib/wire.ts', server: 'lib/server.ts' },
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
    contents: [
      ...Object.entries(entries).map(([, namespace]) => `export * as ${namespace} from './lib/${namespace === 'client' ? 'index' : namespace}';`),
      "export * as serverDeps from './lib/server/deps';",
    ].join('\n'),
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

/** lib/server/deps.ts becomes the shared bundle's serverDeps namespace, so no module of the client is bundled twice. */
const sharedDeps = {
  name: 'rxldap-shared-deps',
  setup(plugin) {
    plugin.onResolve({ filter: /(^|\/)deps$/ }, async (args) => {
      if (args.pluginData === 'plain') return undefined; // the resolve() just below
      const resolved = await plugin.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'plain' });
      if (resolved.path !== SERVER_DEPS) return undefined;
      return { path: 'server-deps', namespace: 'rxldap-shared' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'rxldap-shared' }, () => ({
      contents: "module.exports = require('./rxldap-shared.cjs').serverDeps;",
      loader: 'js',
    }));
    plugin.onResolve({ filter: /^\.\/rxldap-shared\.cjs$/ }, () => ({ path: './rxldap-shared.cjs', external: true }));
  },
};

await build({
  ...common,
  entryPoints: { server: 'lib/server.ts' },
  format: 'cjs',
  outfile: join(dist, 'server.cjs'),
  plugins: [sharedDeps],
});

for (const [format, extension] of [['esm', 'mjs'], ['cjs', 'cjs']]) {
  await build({ ...common, entryPoints: ['lib/schemas.ts'], format, outfile: join(dist, `schemas.${extension}`) });
}

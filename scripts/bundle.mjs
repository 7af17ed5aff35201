/**
 * The bundles package.json's exports map names, for each entry (`.` = lib/index.ts, `./wire` =
 * lib/wire.ts, `./sqlite-store` = lib/sqlite-store.ts): a CommonJS module for `require`, an ES
 * module build for bundlers (`import` with the `module` condition), and for Node's `import` a
 * small ES module that hands out the CommonJS module's exports. rxjs stays external: the
 * application's rxjs is the one Operations are made with. better-sqlite3 stays external too: it
 * is an optional peer dependency, loaded when a SqliteSyncStore opens, so the shared code never
 * requires it at load.
 *
 * The entries share one copy of the code per format, because they share state and classes: a
 * codec registered through rxldap/wire must be the registry the Client reads, and a
 * ProtocolError thrown by wire's decodeMessage must be the class rxldap exports. The ES module
 * build gets this from esbuild's code splitting (a shared chunk); CommonJS cannot be split by
 * esbuild, so one CommonJS bundle holds every namespace and each entry file hands out its own.
 *
 * Why Node's `import` gets the CommonJS code: rxjs's exports map gives Node its CommonJS build
 * under `import` too, and the ES module build then made Node's ESM loader translate rxjs (its
 * export scanner, a module wrapper per file) and load rxldap's 400 KB a second time as module
 * source: about 6 ms more than `require` on a 2-core VM. Through the thin module, `import` costs
 * what `require` costs plus Node's ESM start, and a program that both imports and requires
 * rxldap has one copy of it (one Client class, one codec registry) instead of two. Every entry
 * gets its thin module, so that `import 'rxldap/sqlite-store'` shares rxldap's classes too.
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
import { execFileSync } from 'node:child_process';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportNames, firstUseModuleSource, lazyRxjsPlugin, splitPlugin, withoutStandInCopies } from './bundle-first-use.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const common = { bundle: true, platform: 'node', target: 'node20', external: ['rxjs', 'rxjs/*', 'rxldap/schemas', 'better-sqlite3'], sourcemap: true, logLevel: 'warning', absWorkingDir: root };
/** Output file → the namespace the CommonJS bundle gives it → its source under lib/. */
const entries = { rxldap: 'client', wire: 'wire', 'sqlite-store': 'sqliteStore' };
const sources = { client: 'index', wire: 'wire', sqliteStore: 'sqlite-store' };
/** ES module entries: the ones above, and the server, whose CommonJS bundle is its own (below). */
const esmEntries = { ...Object.fromEntries(Object.entries(entries).map(([file, namespace]) => [file, `lib/${sources[namespace]}.ts`])), server: 'lib/server.ts' };
const SERVER_DEPS = join(root, 'lib', 'server', 'deps.ts');

/**
 * The ES module build, for bundlers. `require` exists in it (node:module's createRequire):
 * lib/util/lazy-builtins.ts loads TLS, crypto, zlib and fs/promises on first use with a
 * synchronous require, which a bundler leaves to Node at run time.
 */
const esm = await build({
  ...common,
  entryPoints: esmEntries,
  format: 'esm',
  splitting: true,
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'rxldap-shared-[hash]',
  metafile: true,
  banner: { js: "import { createRequire as __rxldapCreateRequire } from 'node:module';\nconst require = __rxldapCreateRequire(import.meta.url);" },
});

// The CommonJS build, in two bundles: rxldap-shared.cjs for what every program needs, and
// rxldap-later.cjs for what it loads on first use (scripts/bundle-first-use.mjs says why and how).
// Two passes that write nothing find which modules each side imports from the other.
//
// The namespaces of rxldap/wire and of the server's deps are functions that make them on the
// first call (wire.cjs's, server.cjs's): an `export * as` namespace is made at every start, one
// getter per name, and those two cost `import 'rxldap'` some 2.5 M instructions (callgrind) for
// entry points most programs never load. Property reads of an `import * as` compile to the
// bindings themselves (esbuild makes no namespace object for them). The server's deps keep a
// getter per name, the live bindings a namespace has, so that those from rxldap-later.cjs load it
// only when read; wire's are all of the shared bundle (checked below), so they are plain values.
// rxldap's own namespace is made the same way, though every start needs it: an object literal of
// getters costs 2.8 M instructions less than esbuild's namespace (a defineProperty per name).
const [wireNames, serverDepsNames, clientNames] = await (async () => {
  const names = await exportNames(root, common, ['lib/wire.ts', 'lib/server/deps.ts', 'lib/index.ts']);
  return ['lib/wire.ts', 'lib/server/deps.ts', 'lib/index.ts'].map((path) => {
    const found = names.get(path);
    if (found === undefined || found.length === 0) throw new Error(`esbuild found no exports of ${path}`);
    return found;
  });
})();
const namespaceOnFirstCall = (exportName, module, names, getters) => [
  `let ${exportName}Namespace;`,
  // Plain values are frozen, as a namespace's bindings cannot be assigned.
  `export const ${exportName} = () => (${exportName}Namespace ??= ${getters ? '' : 'Object.freeze('}{ ${names.map((name) => (getters ? `get ${name}() { return ${module}.${name}; }` : `${name}: ${module}.${name}`)).join(', ')} }${getters ? '' : ')'});`,
];
const sharedEntry = (internal, exportsOf = () => [], clientValues = []) => ({
  contents: [
    "import * as clientModule from './lib/index';",
    ...namespaceOnFirstCall('client', 'clientModule', clientNames, true),
    // For dist/rxldap.node.mjs, which reads these names at every import: plain values, so that no
    // getter of the namespace is made or compiled (3 M instructions) unless a first-use stand-in is used.
    ...(clientValues.length === 0 ? [] : [`export const clientValues = () => ({ ${clientValues.map((name) => `${name}: clientModule.${name}`).join(', ')} });`]),
    "import * as wireModule from './lib/wire';",
    "import * as serverDepsModule from './lib/server/deps';",
    ...namespaceOnFirstCall('wire', 'wireModule', wireNames, false),
    ...namespaceOnFirstCall('serverDeps', 'serverDepsModule', serverDepsNames, true),
    ...internal.map((path, index) => `import * as internal${index} from './${path}';`),
    // What rxldap-later.cjs imports of the shared modules, made when it first loads (as above).
    'let internalModules;',
    `export const internal = () => (internalModules ??= { ${internal.map((path, index) => `${JSON.stringify(path)}: { ${exportsOf(path).map((name) => `get ${name}() { return internal${index}.${name}; }`).join(', ')} }`).join(', ')} });`,
  ].join('\n'),
  resolveDir: root,
  sourcefile: 'rxldap-cjs-entries.ts',
  loader: 'ts',
});
const laterEntry = (modules) => ({
  contents: [
    "export * as sqliteStore from './lib/sqlite-store';",
    ...modules.map((path, index) => `import * as module${index} from './${path}';`),
    `export const modules = { ${modules.map((path, index) => `${JSON.stringify(path)}: module${index}`).join(', ')} };`,
  ].join('\n'),
  resolveDir: root,
  sourcefile: 'rxldap-cjs-later.ts',
  loader: 'ts',
});
const laterModules = new Set();
await build({ ...common, stdin: sharedEntry([]), format: 'cjs', write: false, outfile: join(dist, 'rxldap-shared.cjs'), plugins: [splitPlugin(root, 'shared', laterModules)] });
const sharedModules = new Set();
const later = [...laterModules].sort();
await build({ ...common, stdin: laterEntry(later), format: 'cjs', write: false, outfile: join(dist, 'rxldap-later.cjs'), plugins: [splitPlugin(root, 'later', sharedModules)] });
const laterExports = await exportNames(root, common, later);
const sharedExports = await exportNames(root, common, [...sharedModules].sort());
const withoutCopies = async (file) => writeFile(join(dist, file), withoutStandInCopies(await readFile(join(dist, file), 'utf8')));
/** Built twice: the second time with the values dist/rxldap.node.mjs reads, known once the first is built (below). */
const buildShared = async (clientValues) => {
  await build({
    ...common,
    stdin: sharedEntry([...sharedModules].sort(), (path) => sharedExports.get(path) ?? [], clientValues),
    format: 'cjs',
    outfile: join(dist, 'rxldap-shared.cjs'),
    plugins: [lazyRxjsPlugin, splitPlugin(root, 'shared', new Set(), (path) => laterExports.get(path) ?? [])],
  });
  await withoutCopies('rxldap-shared.cjs');
};
await buildShared([]);
await build({ ...common, stdin: laterEntry(later), format: 'cjs', outfile: join(dist, 'rxldap-later.cjs'), plugins: [splitPlugin(root, 'later', new Set())] });
await withoutCopies('rxldap-later.cjs');
for (const [file, namespace] of Object.entries(entries)) {
  const bundle = namespace === 'sqliteStore' ? 'rxldap-later.cjs' : 'rxldap-shared.cjs';
  const made = namespace === 'wire' || namespace === 'client' ? '()' : ''; // see namespaceOnFirstCall
  await writeFile(join(dist, `${file}.cjs`), `'use strict';\nmodule.exports = require('./${bundle}').${namespace}${made};\n`);
}
const wireLoadsLater = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(dist, 'wire.cjs'))}); process.stdout.write(String(Object.keys(require.cache).some((path) => path.endsWith('rxldap-later.cjs'))))`], { encoding: 'utf8' });
if (wireLoadsLater !== 'false') throw new Error("rxldap/wire exports something of rxldap-later.cjs: give namespaceOnFirstCall('wire', ...) getters");

/** lib/server/deps.ts becomes the shared bundle's serverDeps namespace (made on this first call), so no module of the client is bundled twice. */
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
      contents: "module.exports = require('./rxldap-shared.cjs').serverDeps();",
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

// Node's `import`: the names the ES module build exports, taken from the CommonJS module, those
// of rxldap-later.cjs as first-use stand-ins (scripts/bundle-first-use.mjs).
const requireBuilt = createRequire(join(dist, 'rxldap-shared.cjs'));
const laterValues = new Map();
for (const [path, namespace] of Object.entries(requireBuilt('./rxldap-later.cjs').modules)) {
  for (const [name, value] of Object.entries(namespace)) if (!laterValues.has(name)) laterValues.set(name, { path, value });
}
for (const file of Object.keys(esmEntries)) {
  const output = esm.metafile.outputs[`dist/${file}.mjs`];
  if (output === undefined) throw new Error(`esbuild wrote no dist/${file}.mjs`);
  const names = [...output.exports].sort();
  const comment = `Node's import of rxldap${file === 'rxldap' ? '' : `/${file}`}: the CommonJS module's exports (see scripts/bundle.mjs).`;
  if (file === 'rxldap') {
    const cjs = requireBuilt(`./${file}.cjs`);
    // A function or class counts as the later bundle's when the CommonJS module's value is that
    // bundle's; a constant, when reading it loads that bundle (a node process asks, per name).
    const loadsLater = (name) =>
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(dist, `${file}.cjs`))})[${JSON.stringify(name)}]; process.stdout.write(String(Object.keys(require.cache).some((path) => path.endsWith('rxldap-later.cjs'))))`], { encoding: 'utf8' }) === 'true';
    const deferred = new Map(
      names
        .filter((name) => laterValues.get(name)?.value === cjs[name] && (typeof cjs[name] === 'function' || loadsLater(name)))
        .map((name) => [name, cjs[name]]),
    );
    await buildShared(names.filter((name) => !deferred.has(name)));
    await writeFile(join(dist, `${file}.node.mjs`), firstUseModuleSource(comment, names, deferred));
    continue;
  }
  await writeFile(
    join(dist, `${file}.node.mjs`),
    [
      `// ${comment}`,
      "import { createRequire } from 'node:module';",
      `const { ${names.join(', ')} } = createRequire(import.meta.url)('./${file}.cjs');`,
      `export { ${names.join(', ')} };`,
      '',
    ].join('\n'),
  );
}

for (const [format, extension] of [['esm', 'mjs'], ['cjs', 'cjs']]) {
  await build({ ...common, entryPoints: ['lib/schemas.ts'], format, outfile: join(dist, `schemas.${extension}`) });
}

// The rxldap command (package.json `bin`): one CommonJS file with a shebang. Its code imports
// the package only through its entry points, lib/index.ts and lib/server.ts (a lint rule keeps it
// so), which are resolved here to the package's own bundles beside it: the command runs the code
// `require('rxldap')` gives, and adds no copy of it. `serve` imports the server when it runs, so
// the other commands never load it.
const packageEntries = { index: './rxldap.cjs', server: './server.cjs' };
const packageEntry = {
  name: 'rxldap-package-entry',
  setup(plugin) {
    plugin.onResolve({ filter: /^(\.\.\/)+(index|server)$/ }, (args) => {
      const name = args.path.split('/').pop();
      return join(args.resolveDir, args.path) === join(root, 'lib', name) ? { path: packageEntries[name], external: true } : undefined;
    });
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
await chmod(join(dist, 'cli.cjs'), 0o755);

/**
 * The layers of lib/ (../shared/DESIGN.md, "Layers"; it sits beside the repository): each folder imports only folders below it. Run by
 * `npm run lint` (`depcruise lib`); a rule's name and comment are what a violation prints.
 *
 * From the bottom: errors → ber → matching → protocol → dn → filter → schema → ldif → transport →
 * connection → operations → search → client → kv (the key-value store, built on the client) → server;
 * lib/cli/, the command, stands on the package's entry points alone (rules below). dn and filter share a level in the design notes; the code has filter
 * using dn (an entry's DN attributes are matched as DNs: filter/dn-match.ts) and never the
 * reverse, so filter sits just above dn and the reverse edge, which would make a cycle, is refused.
 *
 * schema/ (root DSE, RFC 4512 schema, typed values, check_names) is pure data and functions over
 * protocol, dn and filter: it sits just above filter and below transport, so it never touches a
 * socket or RxJS, search/ can type an entry's values with it and the client can check a request
 * with it. filter/ does not import it: evaluation takes a schema through its own small interface
 * (filter/description.ts's AttributeTypeResolver), which Schema implements.
 * ldif/ (RFC 2849 reader and writer: bytes and records, no network) needs only errors, ber's
 * interned names and protocol's types, and search/ uses it (entry.toLDIF(), searches as LDIF), so
 * it sits above filter and below transport; applying LDIF through a client lives in client/.
 * server/ (the in-memory directory, its own entry point rxldap/server) is the client's pipeline
 * in reverse: it may use every layer up to client/ (the client's attribute input helpers), and
 * nothing below it may import it, so the client never carries the server.
 * util/ is a leaf any layer may use. lib/index.ts, the package entry, is above them all.
 *
 * stores/ (stores on real databases, ../shared/DESIGN.md's "planned: stores") sits beside the package
 * entries: each store is reached only through its own entry (lib/sqlite-store.ts for
 * `rxldap/sqlite-store`) and is the only code that may import its database's package, an
 * optional peer dependency. Nothing else in lib/ imports a store, so `require('rxldap')` never
 * loads one.
 */
const LAYERS = ['errors', 'ber', 'matching', 'protocol', 'dn', 'filter', 'schema', 'ldif', 'transport', 'connection', 'operations', 'search', 'client', 'kv', 'server'];
const RXJS_FROM = LAYERS.indexOf('connection');

const folder = (name) => `^lib/${name}/`;
const SQLITE_STORE = ['^lib/stores/sqlite/', '^lib/sqlite-store\\.ts$'];
const anyOf = (names) => `^lib/(${names.join('|')})/`;

const upwardRules = LAYERS.slice(0, -1).map((layer, level) => {
  const above = LAYERS.slice(level + 1);
  return {
    name: `layer-${layer}-imports-upward`,
    comment: `lib/${layer}/ is below ${above.map((a) => `${a}/`).join(', ')} (../shared/DESIGN.md, Layers): move the shared piece down into ${layer}/ or a lower layer, or pass it in from above.`,
    severity: 'error',
    from: { path: folder(layer) },
    to: { path: anyOf(above) },
  };
});

module.exports = {
  forbidden: [
    ...upwardRules,
    {
      name: 'rxjs-below-connection',
      comment: `Nothing below connection/ knows about RxJS (../shared/DESIGN.md): ${LAYERS.slice(0, RXJS_FROM).map((l) => `${l}/`).join(', ')} stay plain callbacks and values; connection/ turns them into Observables.`,
      severity: 'error',
      from: { path: anyOf(LAYERS.slice(0, RXJS_FROM)) },
      to: { path: ['^node_modules/rxjs/', '^lib/util/rxjs\\.ts$'] },
    },
    {
      name: 'cli-uses-the-package-entry',
      comment: "lib/cli/ (the rxldap command) uses rxldap through its entry points only, lib/index.ts and lib/server.ts: its bundle loads them from the package's own bundles (scripts/bundle.mjs), so any other lib/ module it imported would be a second copy, with classes instanceof does not recognise.",
      severity: 'error',
      from: { path: '^lib/cli/' },
      to: { path: '^lib/', pathNot: ['^lib/cli/', '^lib/index\\.ts$', '^lib/server\\.ts$'] },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'lib/cli/ is the top: the command uses the library, never the other way round.',
      severity: 'error',
      from: { path: '^lib/', pathNot: '^lib/cli/' },
      to: { path: '^lib/cli/' },
    },
    {
      name: 'util-is-a-leaf',
      comment: 'lib/util/ is usable by every layer, so it imports none of them.',
      severity: 'error',
      from: { path: '^lib/util/' },
      to: { path: '^lib/', pathNot: '^lib/util/' },
    },
    {
      name: 'lib-imports-only-lib-and-rxjs',
      comment: "rxjs is the only runtime dependency (../shared/DESIGN.md): lib/ must not import spec/, bench/, examples/ or a devDependency.",
      severity: 'error',
      from: { path: '^lib/', pathNot: SQLITE_STORE },
      to: {
        pathNot: ['^lib/', '^node_modules/rxjs/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'sqlite-store-imports-only-lib-rxjs-and-better-sqlite3',
      comment: 'The SQLite store may use better-sqlite3 (its optional peer dependency) besides lib/ and rxjs, and nothing else from outside.',
      severity: 'error',
      from: { path: SQLITE_STORE },
      to: {
        pathNot: ['^lib/', '^node_modules/rxjs/', '^node_modules/better-sqlite3/', '^node_modules/@types/better-sqlite3/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'stores-only-through-their-entries',
      comment: 'A store on a database is reached only through its own package entry (lib/sqlite-store.ts): the core, lib/index.ts included, must not load it or its database package.',
      severity: 'error',
      from: { path: '^lib/', pathNot: ['^lib/stores/', '^lib/sqlite-store\\.ts$'] },
      to: { path: ['^lib/stores/', '^lib/sqlite-store\\.ts$', 'better-sqlite3'] },
    },
    {
      name: 'stores-below-nothing-but-their-entries',
      comment: 'stores/ builds on the core (errors, dn, search/sync types); it does not use the client layer or another store entry.',
      severity: 'error',
      from: { path: '^lib/stores/' },
      to: { path: ['^lib/client/', '^lib/index\\.ts$', '^lib/wire\\.ts$'] },
    },
    {
      name: 'no-circular',
      comment: 'A cycle between modules of lib/ makes load order matter and the layers meaningless (import type cycles are free at run time and allowed).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import the checker cannot resolve is one it cannot check.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // rxjs publishes its deep paths through its exports map only.
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'], exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};

/**
 * The CommonJS build's split between what `require('rxldap')` compiles at start and what it
 * compiles on first use. V8 must at least pre-parse every function of a script it loads, and
 * rxldap's one bundle cost some 75 M instructions (about 18 ms here) in that step alone, most of
 * it for code an application may never run: the schema model, LDIF, the syncrepl consumer and
 * its stores, the key-value store, the connection pool and the challenge-response SASL
 * mechanisms (FIRST_USE below). Those modules go to a second bundle, rxldap-later.cjs, which is
 * loaded the first time one of their exports is touched:
 *
 * - In rxldap-shared.cjs, every import of such a module from the rest of rxldap is a small
 *   module whose exports are getters that require rxldap-later.cjs when first read (the names
 *   are known at build time, from esbuild's metafile).
 * - In rxldap-later.cjs, every import of the rest of rxldap is the shared bundle's own module
 *   (its `internal()` export, made on that first call), so no class or registry exists twice.
 * - Node's `import` (dist/*.node.mjs) must name every export when it links, which would read
 *   every getter; for a class or function of the later bundle it exports instead a stand-in
 *   that loads the real one when it is called, constructed, subclassed or asked for a property
 *   (firstUseModuleSource). Its constants are written out as literals.
 *
 * The ES module build for bundlers is untouched: a bundler's own splitting and tree shaking
 * serve it better than this.
 */
import { build } from 'esbuild';
import { relative, sep } from 'node:path';

/** Modules (paths from the repository root) that the CommonJS build loads on first use. */
export const FIRST_USE = [
  /^lib\/(schema|ldif|kv|stores)\//,
  /^lib\/search\/sync\//,
  /^lib\/search\/(ldif-stream|ldif-events)\.ts$/,
  /^lib\/client\/(pool|pool-member|pool-options|pool-waiters|pooled-operation|sasl-digest-md5|sasl-scram|sasl-mutual|apply-ldif)\.ts$/,
  /^lib\/sqlite-store\.ts$/,
  // Searches beyond the plain one, filter evaluation and the matching rules, root DSE and schema reads.
  /^lib\/search\/(paged-search|page-progress|persistent-search|resume-policy|syncrepl|syncrepl-events|syncrepl-translate|syncrepl-uuid)\.ts$/,
  /^lib\/filter\/(evaluate|matching-rules|list-and-numeric-rules|description|dn-match|rules)\.ts$/,
  /^lib\/matching\//,
  /^lib\/client\/directory-model\.ts$/,
];
/** Constants of those families, in files of their own: Node's `import` must read them when it links. */
const CONSTANTS = ['lib/schema/syntaxes.ts', 'lib/schema/schema-attributes.ts', 'lib/search/sync/binary-attributes.ts', 'lib/ldif/presets.ts'];
export const isFirstUse = (path) => FIRST_USE.some((pattern) => pattern.test(path)) && !CONSTANTS.includes(path);

const SHARED = './rxldap-shared.cjs';
const LATER = './rxldap-later.cjs';
const relativeTo = (root, path) => relative(root, path).split(sep).join('/');

/**
 * A plugin that replaces, in the bundle being built, every module on the other side of the split
 * with a stand-in module: `side` 'shared' stands in for the first-use modules (lazy getters over
 * rxldap-later.cjs), 'later' for the shared ones (the shared bundle's module objects). `seen`
 * collects the paths it stood in for, `exportsOf` gives a first-use module's export names.
 */
export const splitPlugin = (root, side, seen, exportsOf = () => []) => ({
  name: `rxldap-split-${side}`,
  setup(plugin) {
    plugin.onResolve({ filter: new RegExp(`^(\\.\\.?/|${LATER_LOADER}$)`) }, async (args) => {
      if (args.path === SHARED || args.path === LATER) return { path: args.path, external: true };
      if (args.path === LATER_LOADER) return { path: LATER_LOADER, namespace: 'rxldap-later-loader' };
      if (args.pluginData === 'plain' || args.namespace !== 'file') return undefined;
      const resolved = await plugin.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'plain' });
      if (resolved.errors.length > 0 || resolved.external) return resolved;
      const path = relativeTo(root, resolved.path);
      if (!path.startsWith('lib/')) return resolved;
      // Neither bundle ever enters a module of the other side, so every import of one crosses.
      if (isFirstUse(path) !== (side === 'shared')) return resolved;
      seen.add(path);
      return { path, namespace: `rxldap-${side}-standin` };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'rxldap-later-loader' }, () => ({ contents: laterLoader, loader: 'js', resolveDir: root }));
    plugin.onLoad({ filter: /.*/, namespace: `rxldap-${side}-standin` }, (args) => ({
      contents: side === 'shared' ? laterStandIn(args.path, exportsOf(args.path)) : `module.exports = require(${JSON.stringify(SHARED)}).internal()[${JSON.stringify(args.path)}];`,
      loader: 'js',
      resolveDir: root,
    }));
  },
});

/**
 * rxjs in the shared bundle, loaded when rxldap first uses it rather than when it is loaded:
 * rxjs's Observable, Subject and the files they need, found through rxjs's exports map, cost some
 * 45 M instructions (callgrind), a third of `import 'rxldap'`, and rxldap constructs them only
 * with a Client, a connection or an operation, never at load.
 *
 * - `rxjs/internal/Observable` and `rxjs/internal/Subject` become one module whose Observable and
 *   Subject are getters that require rxjs on first read (esbuild reads a CommonJS module's
 *   exports at each use, not once). A Client's constructor makes Subjects, so rxjs is loaded by
 *   the time a program has a Client.
 * - Operation extends Observable, and a class's base is read when the class is defined, so
 *   lib/util/observable-base.ts becomes a base of that module's own, ObservableBase, which runs
 *   Observable's constructor on the instance. When rxjs is loaded it takes Observable's place in
 *   the chain: its prototype's prototype becomes Observable.prototype (instanceof Observable,
 *   pipe, subscribe, lift, Symbol.observable are rxjs's own) and its own prototype Observable
 *   (the static side). Until then each side's chain ends in a Proxy that loads rxjs when a lookup
 *   reaches it, so a program that has made no Client yet still finds Observable's methods and
 *   statics there (a sinon spy on Operation.prototype.subscribe in a before hook, `'pipe' in`,
 *   isPrototypeOf). What stays different: the chain has one more link (Object.getPrototypeOf(
 *   Operation) is the stand-in, named Observable, whose own prototype is Observable), and each
 *   construction makes one more call (some 6 ns). spec/integration/package/bundle.spec.ts checks
 *   it ("loads rxjs when a Client first needs it", "before any Client has loaded rxjs").
 */
const LAZY_RXJS = 'rxldap-lazy-rxjs';
const lazyRxjs = [
  'let Observable;',
  'let Subject;',
  'const observable = () => {',
  '  if (Observable === undefined) {',
  "    Observable = require('rxjs/internal/Observable').Observable;",
  '    Object.setPrototypeOf(ObservableBase.prototype, Observable.prototype);',
  '    Object.setPrototypeOf(ObservableBase, Observable);',
  '  }',
  '  return Observable;',
  '};',
  'function ObservableBase(subscribe) {',
  '  observable().call(this, subscribe);',
  '}',
  // util.inspect(Operation) names its base by this: "extends Observable", as without the stand-in.
  "Object.defineProperty(ObservableBase, 'name', { value: 'Observable' });",
  // Until rxjs is loaded, each side's chain ends in a Proxy that loads it when a lookup reaches it
  // (a property read, `in`, an assignment, an isPrototypeOf or instanceof walk) and answers as
  // Observable's side would; loading it takes the Proxy out of the chain.
  'const untilLoaded = (side) => new Proxy({}, {',
  '  get: (_, key, receiver) => Reflect.get(side(), key, receiver),',
  '  has: (_, key) => Reflect.has(side(), key),',
  '  set: (_, key, value, receiver) => Reflect.set(side(), key, value, receiver),',
  '  getPrototypeOf: () => side(),',
  '});',
  'Object.setPrototypeOf(ObservableBase.prototype, untilLoaded(() => observable().prototype));',
  'Object.setPrototypeOf(ObservableBase, untilLoaded(observable));',
  'module.exports = {',
  '  get Observable() { return observable(); },',
  "  get Subject() { return (Subject ??= (observable(), require('rxjs/internal/Subject').Subject)); },",
  '  ObservableBase,',
  '};',
].join('\n');
export const lazyRxjsPlugin = {
  name: LAZY_RXJS,
  setup(plugin) {
    plugin.onResolve({ filter: /^rxjs\/internal\/(Observable|Subject)$/ }, (args) =>
      args.namespace === LAZY_RXJS ? { path: args.path, external: true } : { path: 'rxjs', namespace: LAZY_RXJS },
    );
    plugin.onLoad({ filter: /.*/, namespace: LAZY_RXJS }, () => ({ contents: lazyRxjs, loader: 'js' }));
    plugin.onLoad({ filter: /[\\/]lib[\\/]util[\\/]observable-base\.ts$/ }, () => ({
      contents: "module.exports = { ObservableBase: require('rxjs/internal/Observable').ObservableBase };",
      loader: 'js',
    }));
  },
};

/**
 * The one loader of rxldap-later.cjs in the shared bundle, which every stand-in module imports:
 * a missing file (a broken install) says so once, here, not in each stand-in.
 */
const LATER_LOADER = 'rxldap-later-loader';
const laterLoader = [
  'let later;',
  'exports.laterModule = (path) => {',
  '  if (later === undefined) {',
  '    try {',
  `      later = require(${JSON.stringify(LATER)}).modules;`,
  '    } catch (error) {',
  `      if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes(${JSON.stringify(LATER.slice(2))})) throw error;`,
  "      throw new Error(`rxldap: dist/rxldap-later.cjs, which holds ${path.replace(/^lib\\//, '').replace(/\\.ts$/, '')} and the other parts loaded on first use, is missing: the installation is incomplete; reinstall rxldap`, { cause: error });",
  '    }',
  '  }',
  '  return later[path];',
  '};',
].join('\n');

/** A first-use module as the shared bundle sees it: one getter per export, loading rxldap-later.cjs on the first read. */
const laterStandIn = (path, names) =>
  [
    `const { laterModule } = require(${JSON.stringify(LATER_LOADER)});`,
    `const load = () => laterModule(${JSON.stringify(path)});`,
    // An object literal of getters: cheaper to make at every start than defineProperties' descriptors.
    'module.exports = {',
    ...names.map((name) => `  get ${JSON.stringify(name)}() { return load()[${JSON.stringify(name)}]; },`),
    '};',
  ].join('\n');

/** The export names of each of these modules, from esbuild's metafile (one output per entry). */
export const exportNames = async (root, common, paths) => {
  if (paths.length === 0) return new Map();
  const result = await build({ ...common, entryPoints: paths, format: 'esm', write: false, metafile: true, outdir: '/nonexistent', sourcemap: false, splitting: true });
  const names = new Map();
  for (const output of Object.values(result.metafile.outputs)) if (output.entryPoint !== undefined) names.set(output.entryPoint, output.exports);
  return names;
};

/**
 * The body of dist/<entry>.node.mjs: every export of the CommonJS module, those of the later
 * bundle as first-use stand-ins (functions and classes) or literals (constants), so that linking
 * the ES module reads no getter of rxldap-later.cjs. `later` maps an export name to its value in
 * the later bundle; everything else is read from the CommonJS module as it is.
 */
export const firstUseModuleSource = (comment, names, later) => {
  const now = names.filter((name) => !later.has(name));
  const deferred = names.filter((name) => later.has(name));
  const lines = [
    `// ${comment}`,
    "import { createRequire } from 'node:module';",
    `const shared = createRequire(import.meta.url)(${JSON.stringify(SHARED)});`,
    // The values of the shared bundle's names; rxldap.cjs's namespace (getters) only when a stand-in needs it.
    `const { ${now.join(', ')} } = shared.clientValues();`,
  ];
  if (deferred.some((name) => typeof later.get(name) === 'function')) lines.push(FIRST_USE_FUNCTION);
  const objects = [];
  for (const name of deferred) {
    const value = later.get(name);
    if (typeof value === 'function') lines.push(`const ${name} = firstUse(${JSON.stringify(name)}, ${Object.hasOwn(value, 'prototype')});`);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) lines.push(`const ${name} = ${JSON.stringify(value)};`);
    else objects.push(name);
  }
  if (objects.length > 0) throw new Error(`${objects.join(', ')}: constants of first-use modules that are not primitives would load rxldap-later.cjs on every import; move them to files of their own (CONSTANTS in scripts/bundle-first-use.mjs)`);
  lines.push(`export { ${names.join(', ')} };`, '');
  return lines.join('\n');
};

/*
 * The stand-in for a class or function of rxldap-later.cjs under Node's `import`. It forwards
 * everything a program does with a class or function: calling it, `new` (with `new.target` kept
 * for subclasses), `extends` and `instanceof` (through `prototype`, which is the real class's),
 * static properties and methods. It is not the same object as `require('rxldap').X`, and an
 * instance's `constructor` is the real class, not the stand-in: compare with `instanceof` (which
 * works both ways), never by identity (`x.constructor === LdifWriter` is false under `import`).
 */
const FIRST_USE_FUNCTION = `// One Proxy handler for every stand-in, its state in a WeakMap keyed by the Proxy's target:
// a handler and its dozen closures per stand-in cost about 1.4 M instructions at every import.
const standIns = new WeakMap();
const mirror = (shell, real, key) => {
  const descriptor = Reflect.getOwnPropertyDescriptor(real, key);
  if (descriptor !== undefined) Reflect.defineProperty(shell, key, descriptor);
  else Reflect.deleteProperty(shell, key);
};
// The Proxy's target (the shell) mirrors the real function's own properties once loaded, so
// descriptors, keys, prototype chain, freeze and mocking libraries see the real ones and Proxy invariants hold.
const target = (shell) => {
  const state = standIns.get(shell);
  if (state.real === undefined) {
    const real = shared.client()[state.name];
    for (const key of Reflect.ownKeys(real)) mirror(shell, real, key);
    Reflect.setPrototypeOf(shell, Reflect.getPrototypeOf(real));
    state.real = real;
  }
  return state.real;
};
const receiverOf = (shell, receiver) => (receiver === standIns.get(shell).standIn ? target(shell) : receiver);
const handler = {
  apply: (shell, self, args) => Reflect.apply(target(shell), self, args),
  construct: (shell, args, newTarget) => Reflect.construct(target(shell), args, receiverOf(shell, newTarget)),
  get: (shell, key, receiver) => Reflect.get(target(shell), key, receiverOf(shell, receiver)),
  set: (shell, key, value, receiver) => { const real = target(shell); const done = Reflect.set(real, key, value, receiverOf(shell, receiver)); mirror(shell, real, key); return done; },
  has: (shell, key) => Reflect.has(target(shell), key),
  ownKeys: (shell) => (target(shell), Reflect.ownKeys(shell)),
  getOwnPropertyDescriptor: (shell, key) => (target(shell), Reflect.getOwnPropertyDescriptor(shell, key)),
  defineProperty: (shell, key, descriptor) => { const real = target(shell); const done = Reflect.defineProperty(real, key, descriptor); mirror(shell, real, key); return done; },
  deleteProperty: (shell, key) => { const real = target(shell); const done = Reflect.deleteProperty(real, key); mirror(shell, real, key); return done; },
  getPrototypeOf: (shell) => (target(shell), Reflect.getPrototypeOf(shell)),
  setPrototypeOf: (shell, proto) => Reflect.setPrototypeOf(target(shell), proto) && Reflect.setPrototypeOf(shell, proto),
  isExtensible: (shell) => (target(shell), Reflect.isExtensible(shell)),
  preventExtensions: (shell) => Reflect.preventExtensions(target(shell)) && Reflect.preventExtensions(shell),
};
const firstUse = (name, hasPrototype) => {
  const shell = Object.defineProperty(hasPrototype ? function () {} : () => {}, 'name', { value: name });
  const standIn = new Proxy(shell, handler);
  standIns.set(shell, { name, real: undefined, standIn });
  return standIn;
};`;

/**
 * Every module of rxldap that imports a stand-in gets, from esbuild, its own interop copy of it
 * (`__toESM(require_x())`: a new object with one getter per export, 34 of them in the shared
 * bundle, made at every start). A stand-in's exports are already what the importer reads, named
 * properties (a getter in the shared bundle, the shared module's namespace in the later one) and
 * no `default`, so the copy is dropped: `(       require_x())`, padded to keep every column the
 * source map points to. Only the stand-ins' own wrappers are touched, and a default import of one
 * fails the build rather than read `undefined`.
 */
export const withoutStandInCopies = (code) => {
  const standIns = new Set([...code.matchAll(/^var (require_\w+) = __commonJS\(\{\n {2}"(?:rxldap-(?:shared|later)-standin|rxldap-later-loader):/gm)].map((match) => match[1]));
  const result = code.replace(/__toESM\((require_\w+)\(\)\)/g, (call, name) => (standIns.has(name) ? `(       ${name}())` : call));
  const defaults = [...result.matchAll(/\bvar (import_\w+) = \( {7}require_\w+\(\)\);/g)].filter(([, binding]) => result.includes(`${binding}.default`));
  if (defaults.length > 0) throw new Error(`${defaults.map(([, binding]) => binding).join(', ')}: a default import of a first-use stand-in, which has no default export`);
  return result;
};

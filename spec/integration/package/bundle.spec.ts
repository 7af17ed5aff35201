import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Observable } from 'rxjs';
import * as sources from '../../../lib';
import * as wireSources from '../../../lib/wire';
import * as sqliteSources from '../../../lib/sqlite-store';
import { sharedSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN, personDN, personUid } from '../../support/data';

type Rxldap = typeof sources;

/** The repository this spec was compiled from (its package.json says name: rxldap). */
const repoRoot = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as { name?: string }).name === 'rxldap') return dir;
    if (dirname(dir) === dir) throw new Error(`no rxldap package.json above ${__dirname}`);
  }
};

/** The names a module's namespace has, read by a node process that imports it as an ES module. */
const esmExportNames = (path: string): string[] =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(path)}))))`], { encoding: 'utf8' })) as string[];

/**
 * What users load: the esbuild bundles `npm run build` writes, which package.json's main and
 * exports name. The rest of the suite tests the tsc build of the same sources; this checks the
 * bundles are that code too.
 */
describe('The published entry point (package.json main)', function () {
  this.timeout(60_000);
  const root = repoRoot();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; types: string };
  const mainPath = join(root, manifest.main);
  let rxldap: Rxldap;
  let slapd: SlapdInstance;

  before(async () => {
    rxldap = require(mainPath) as Rxldap;
    slapd = await sharedSlapd();
  });

  it('is a bundle with a source map, beside one rolled-up declaration file', () => {
    expect(manifest.main).to.equal('./dist/rxldap.cjs');
    const shared = join(root, 'dist', 'rxldap-shared.cjs');
    expect(readFileSync(mainPath, 'utf8')).to.include("require('./rxldap-shared.cjs')");
    expect(readFileSync(shared, 'utf8')).to.match(/\/\/# sourceMappingURL=rxldap-shared\.cjs\.map\s*$/);
    expect(existsSync(`${shared}.map`)).to.equal(true);
    expect(existsSync(join(root, manifest.types))).to.equal(true);
  });

  it('exports exactly what lib/index exports', () => {
    expect(Object.keys(rxldap).sort()).to.deep.equal(Object.keys(sources).sort());
    for (const name of Object.keys(sources)) {
      const bundled: unknown = rxldap[name as keyof Rxldap];
      const compiled: unknown = sources[name as keyof Rxldap];
      expect(typeof bundled, name).to.equal(typeof compiled);
      // esbuild renames a class whose name clashes with another module's top-level binding
      // (it once turned DN into DN2): users see these names in logs and in error.name.
      if (typeof compiled === 'function') expect((bundled as { name: string }).name, name).to.equal(compiled.name);
    }
  });

  it("exports the same names as an ES module (Node's and the bundlers'), and rxldap/wire what lib/wire exports, in every format", () => {
    const wireNames = Object.keys(wireSources).sort();
    expect(Object.keys(require(join(root, 'dist', 'wire.cjs')) as object).sort()).to.deep.equal(wireNames);
    for (const suffix of ['.node.mjs', '.mjs']) {
      expect(esmExportNames(join(root, 'dist', `rxldap${suffix}`)).sort(), `rxldap${suffix}`).to.deep.equal(Object.keys(sources).sort());
      expect(esmExportNames(join(root, 'dist', `wire${suffix}`)).sort(), `wire${suffix}`).to.deep.equal(wireNames);
    }
  });

  it('shares one copy of the code between rxldap and rxldap/wire (one class, one codec registry)', () => {
    const wire = require(join(root, 'dist', 'wire.cjs')) as typeof wireSources;
    expect(wire.ProtocolError).to.equal(rxldap.ProtocolError);
    const script = `import { ProtocolError } from ${JSON.stringify(join(root, 'dist', 'rxldap.mjs'))};` +
      `import * as wire from ${JSON.stringify(join(root, 'dist', 'wire.mjs'))};` +
      'console.log(wire.ProtocolError === ProtocolError);';
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()).to.equal('true');
  });

  it('rxldap/sqlite-store: the same names in both formats, rxldap\'s own classes, and better-sqlite3 loaded only when a store opens', () => {
    const names = Object.keys(sqliteSources).sort();
    for (const file of ['sqlite-store.node.mjs', 'sqlite-store.mjs']) expect(esmExportNames(join(root, 'dist', file)).sort(), file).to.deep.equal(names);
    const dir = mkdtempSync(join(tmpdir(), 'rxldap-bundle-sqlite-'));
    try {
      // In a process of its own, so this suite's own better-sqlite3 is not in the module cache.
      const script = `const before = Object.keys(require.cache).length;
        const rxldap = require(${JSON.stringify(mainPath)});
        const { SqliteSyncStore } = require(${JSON.stringify(join(root, 'dist', 'sqlite-store.cjs'))});
        const loadedEarly = Object.keys(require.cache).some((path) => path.includes('better-sqlite3'));
        (async () => {
          const store = new SqliteSyncStore(${JSON.stringify(join(dir, 'cjs.sqlite'))});
          const refused = await store.commit({ puts: new Map(), deletes: new Set(), seen: new Set() }).then(() => 'committed', (e) => e instanceof rxldap.SyncStoreStateError);
          await store.open();
          await store.commit({ puts: new Map([['00000000-0000-0000-0000-000000000001', { dn: 'cn=A,dc=x', attributes: { cn: ['A'] } }]]), deletes: new Set(), seen: new Set(), cookie: Buffer.from('c') });
          const found = await store.getByDN('CN=a, DC=X');
          await store.close();
          console.log(JSON.stringify({ loadedEarly, refused, found, loadedLate: Object.keys(require.cache).some((path) => path.includes('better-sqlite3')) }));
        })();`;
      const cjs = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<string, unknown>;
      expect(cjs).to.deep.equal({
        loadedEarly: false, refused: true, loadedLate: true,
        found: { entryUUID: '00000000-0000-0000-0000-000000000001', dn: 'cn=A,dc=x', attributes: { cn: ['A'] } },
      });
      const esm = `import { SyncStoreStateError } from ${JSON.stringify(join(root, 'dist', 'rxldap.mjs'))};
        import { SqliteSyncStore } from ${JSON.stringify(join(root, 'dist', 'sqlite-store.mjs'))};
        const store = new SqliteSyncStore(${JSON.stringify(join(dir, 'esm.sqlite'))});
        const refused = await store.get('x').then(() => false, (e) => e instanceof SyncStoreStateError);
        const state = await store.open();
        await store.close();
        console.log(JSON.stringify({ refused, state }));`;
      expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { encoding: 'utf8' }))).to.deep.equal({ refused: true, state: { size: 0, mark: 0 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the rxjs the application has (a dependency, not a copy inside the bundle)', () => {
    const client = new rxldap.Client({ url: slapd.url });
    expect(client.search(slapd.baseDN, { scope: 'base' })).to.be.instanceOf(Observable);
    const bundles = readdirSync(join(root, 'dist')).filter((file) => /\.(cjs|mjs)$/.test(file));
    expect(bundles).to.include.members(['rxldap.cjs', 'rxldap-shared.cjs', 'rxldap.mjs', 'wire.cjs', 'wire.mjs', 'sqlite-store.cjs', 'sqlite-store.mjs']);
    for (const file of bundles) {
      expect(readFileSync(join(root, 'dist', file), 'utf8'), `esbuild marks each bundled module with its path (${file})`).to.not.include('node_modules/rxjs');
    }
  });

  it('keeps the schema snapshots out of the main bundles and loads rxldap/schemas only when a snapshot is asked for, in both formats', () => {
    for (const file of ['rxldap-shared.cjs', 'rxldap.mjs']) {
      // A definition only a snapshot holds (389-ds's password policy attribute) is not in the main code.
      expect(readFileSync(join(root, 'dist', file), 'utf8'), file).to.not.include('passwordTPRDelayValidFrom');
    }
    expect(readFileSync(join(root, 'dist', 'schemas.cjs'), 'utf8')).to.include('passwordTPRDelayValidFrom');
    const cjs = `const r = require(${JSON.stringify(mainPath)});` +
      "const loaded = () => Object.keys(require.cache).some((f) => f.endsWith('schemas.cjs'));" +
      "const early = loaded(); r.loadSchemaSnapshot('389-ds-2.3').then((s) => console.log(JSON.stringify([early, s instanceof r.Schema, s.attributeTypes.length, s.problems.length])));";
    // Not loaded with rxldap; loaded (by import(), so as the ES module) when asked for.
    expect(JSON.parse(execFileSync(process.execPath, ['-e', cjs], { encoding: 'utf8' }))).to.deep.equal([false, true, 1015, 0]);
    const esm = `import { loadSchemaSnapshot, Schema } from ${JSON.stringify(join(root, 'dist', 'rxldap.mjs'))};` +
      "const s = await loadSchemaSnapshot('openldap-2.5'); console.log(JSON.stringify([s instanceof Schema, s.attributeType('cn').syntax]));";
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { encoding: 'utf8' }))).to.deep.equal([true, '1.3.6.1.4.1.1466.115.121.1.15']);
  });

  it('keeps rxldap/server out of the client: its own CommonJS bundle takes rxldap from the shared one, and no client chunk holds server code', () => {
    // esbuild marks each bundled module with a `// lib/…` line.
    const modules = (file: string): string[] => readFileSync(join(root, 'dist', file), 'utf8').match(/^\/\/ lib\/\S+$/gm) ?? [];
    expect(modules('rxldap-shared.cjs').filter((line) => line.startsWith('// lib/server/'))).to.deep.equal(['// lib/server/deps.ts']);
    const server = modules('server.cjs');
    expect(server.length).to.be.greaterThan(20);
    expect(server.filter((line) => !line.startsWith('// lib/server/') && line !== '// lib/server.ts'), 'every rxldap module reaches the server through the shared bundle').to.deep.equal([]);
    expect(readFileSync(join(root, 'dist', 'server.cjs'), 'utf8')).to.include('require("./rxldap-shared.cjs").serverDeps');
    const imported = (file: string): string[] => [...readFileSync(join(root, 'dist', file), 'utf8').matchAll(/from "\.\/(rxldap-shared-[A-Z0-9]+\.mjs)"/g)].map((match) => match[1]!);
    const clientFiles = ['rxldap.mjs', ...imported('rxldap.mjs')];
    for (const file of clientFiles) expect(modules(file).filter((line) => line.startsWith('// lib/server/')), file).to.deep.equal([]);
    const script = `const server = require(${JSON.stringify(join(root, 'dist', 'server.cjs'))}); const rxldap = require(${JSON.stringify(mainPath)});` +
      'console.log(typeof server.startDirectory, Object.keys(rxldap).includes("startDirectory"));';
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()).to.equal('function false');
  });

  /** An expression, in a child's script, for how many of rxjs's files it has loaded. */
  const RXJS_FILES = "Object.keys(require.cache).filter((path) => /[\\\\/]rxjs[\\\\/]/.test(path)).length";
  /** How a child's ES module script loads rxldap as `rxldap`: by require, and by Node's import. */
  const loadingRxldap = (): ReadonlyArray<readonly ['require' | 'import', string]> => [
    ['require', `const rxldap = require(${JSON.stringify(mainPath)});`],
    ['import', `const rxldap = await import(${JSON.stringify(join(root, 'dist', 'rxldap.node.mjs'))});`],
  ];

  it('loads rxjs when a Client first needs it, not with the package (import and require), and its Operations are then Observables through and through', () => {
    // scripts/bundle-first-use.mjs (lazyRxjsPlugin): Operation's base takes Observable's place in the chain when rxjs loads.
    const base = JSON.stringify(slapd.baseDN);
    for (const [how, load] of loadingRxldap()) {
      const script = [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        load,
        `const atLoad = ${RXJS_FILES};`,
        "const rxjs = require('rxjs');",
        'const { Operation } = rxldap;',
        `const client = new rxldap.Client({ url: ${JSON.stringify(slapd.url)} });`,
        'const afterClient = ' + RXJS_FILES + ' > 0;',
        // Before any operation exists: the chain already holds Observable, statics included.
        'const chain = { pipe: Operation.prototype.pipe === rxjs.Observable.prototype.pipe, protoOf: rxjs.Observable.prototype.isPrototypeOf(Operation.prototype), statics: rxjs.Observable.isPrototypeOf(Operation) };',
        "const search = client.search('', { scope: 'base' });", // the root DSE: anonymous may read it
        'const instance = search instanceof rxjs.Observable && search instanceof Operation && rxjs.isObservable(search);',
        'const dns = await rxjs.lastValueFrom(search.pipe(rxjs.map((entry) => entry.dn), rxjs.toArray()));',
        "const fromOp = (await rxjs.firstValueFrom(rxjs.from(client.search('', { scope: 'base' })))).dn;",
        `const failed = await rxjs.lastValueFrom(client.search('cn=nowhere,' + ${base}).pipe(rxjs.catchError((error) => rxjs.of(error.name))));`,
        'await client.unbind();',
        'console.log(JSON.stringify({ atLoad, afterClient, chain, instance, dns, fromOp, failed }));',
      ].join('\n');
      const output = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root })) as unknown;
      expect(output, how).to.deep.equal({
        atLoad: 0, afterClient: true, chain: { pipe: true, protoOf: true, statics: true },
        instance: true, dns: [''], fromOp: '', failed: 'NoSuchObjectError',
      });
    }
  });

  it("shows Operation as an Observable before any Client has loaded rxjs: its prototype's methods, statics, spies on them, instanceof walks and inspect (import and require)", () => {
    // A test suite stubs Operation.prototype.subscribe in a before hook, or a program checks
    // 'pipe' in Operation.prototype, before its first Client: on main these see rxjs's Observable.
    for (const [how, load] of loadingRxldap()) {
      const script = [
        "import { createRequire } from 'node:module';",
        "import { inspect } from 'node:util';",
        'const require = createRequire(import.meta.url);',
        load,
        `const atLoad = ${RXJS_FILES};`,
        'const { Operation } = rxldap;',
        "const sinon = require('sinon');",
        // Asked before rxjs is loaded: each of these loads it.
        "const pipeIn = 'pipe' in Operation.prototype;",
        "const subscribeSpy = sinon.spy(Operation.prototype, 'subscribe');",
        "const rxjs = require('rxjs');",
        'const chain = { pipe: Operation.prototype.pipe === rxjs.Observable.prototype.pipe, protoOf: rxjs.Observable.prototype.isPrototypeOf(Operation.prototype), statics: Operation.create === rxjs.Observable.create, inspect: inspect(Operation) };',
        "const client = new rxldap.Client({ url: 'ldap://127.0.0.1:1' });",
        'const operation = new Operation((subscriber) => { subscriber.next(1); subscriber.complete(); }, { settle: (source) => rxjs.lastValueFrom(source) });',
        'const values = await rxjs.lastValueFrom(operation.pipe(rxjs.map((value) => value + 1), rxjs.toArray()));',
        'subscribeSpy.restore();',
        'await client.unbind().catch(() => undefined);',
        'console.log(JSON.stringify({ atLoad, pipeIn, chain, values, spied: subscribeSpy.callCount > 0, instance: operation instanceof rxjs.Observable }));',
      ].join('\n');
      const output = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root })) as unknown;
      expect(output, how).to.deep.equal({
        atLoad: 0, pipeIn: true, chain: { pipe: true, protoOf: true, statics: true, inspect: '[class Operation extends Observable]' },
        values: [2], spied: true, instance: true,
      });
    }
  });


  it('loads neither TLS, crypto, zlib, fs/promises nor net until a feature needs them', () => {
    const script = `const before = new Set(process.moduleLoadList); require(${JSON.stringify(mainPath)});` +
      'console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));';
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    expect(loaded, 'it does load its own needs').to.include('NativeModule stream');
    for (const lazy of ['tls', 'crypto', 'zlib', 'fs/promises', 'net']) expect(loaded).to.not.include(`NativeModule ${lazy}`);
  });

  describe('first use (scripts/bundle-first-use.mjs)', () => {
    const laterLoaded = "Object.keys(require.cache).some((path) => path.endsWith('rxldap-later.cjs'))";

    it('require: compiles the schema model, LDIF, the syncrepl consumer, the stores, the pool and SASL challenge-response only when one is first used', () => {
      const script = [
        `const rxldap = require(${JSON.stringify(mainPath)});`,
        `const atLoad = ${laterLoaded};`,
        "new rxldap.Client({ url: 'ldap://127.0.0.1:1' }); rxldap.parseFilter('(cn=a)'); rxldap.parseDN('cn=a,dc=b');",
        `const afterCore = ${laterLoaded};`,
        "const records = rxldap.parseLdif('dn: cn=a\\ncn: a\\n');",
        `console.log(JSON.stringify({ atLoad, afterCore, afterLdif: ${laterLoaded}, records: records.length, wrap: rxldap.DEFAULT_LDIF_WRAP }));`,
      ].join('\n');
      expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).to.deep.equal({ atLoad: false, afterCore: false, afterLdif: true, records: 1, wrap: 76 });
    });

    it("import: stands in for those classes and functions, and each stand-in behaves as the real one (new, instanceof both ways, extends, statics, calls)", () => {
      const script = [
        "import { createRequire } from 'node:module';",
        `import * as rxldap from ${JSON.stringify(join(root, 'dist', 'rxldap.node.mjs'))};`,
        'const require = createRequire(import.meta.url);',
        `const atLoad = ${laterLoaded};`,
        `const cjs = require(${JSON.stringify(join(root, 'dist', 'rxldap.cjs'))});`,
        'class Counting extends rxldap.MemorySyncStore { constructor() { super(); this.extra = 1; } }',
        'const store = new Counting();',
        "const writer = new rxldap.LdifWriter();",
        'const schema = rxldap.parseSchema({});',
        'console.log(JSON.stringify({',
        '  atLoad,',
        "  names: [rxldap.LdifWriter.name, rxldap.Schema.name, rxldap.parseLdif.name],",
        '  instance: writer instanceof rxldap.LdifWriter && writer instanceof cjs.LdifWriter && new cjs.LdifWriter() instanceof rxldap.LdifWriter,',
        '  subclass: store instanceof Counting && store instanceof rxldap.MemorySyncStore && store.extra === 1 && typeof store.open === "function",',
        '  schema: schema instanceof rxldap.Schema && rxldap.Schema.fromJSON(schema.toJSON()) instanceof cjs.Schema,',
        "  constants: [rxldap.DEFAULT_LDIF_WRAP === cjs.DEFAULT_LDIF_WRAP, rxldap.LDAPSEARCH_LDIF === cjs.LDAPSEARCH_LDIF, rxldap.DEFAULT_MAX_SCRAM_ITERATIONS === cjs.DEFAULT_MAX_SCRAM_ITERATIONS],",
        '  sameCoreClass: rxldap.Client === cjs.Client,',
        // What mocking libraries and hardening do: descriptors, own keys, the prototype chain, freeze.
        "  statics: Object.hasOwn(rxldap.Schema, 'fromJSON') && Object.getOwnPropertyNames(rxldap.Schema).includes('fromJSON'),",
        "  chain: Object.getPrototypeOf(rxldap.LdifWriter) === require('node:stream').Transform,",
        '  frozen: Object.isFrozen(Object.freeze(rxldap.Schema)) && schema instanceof rxldap.Schema,',
        '}));',
      ].join('\n');
      const output = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as unknown;
      expect(output).to.deep.equal({
        atLoad: false,
        names: ['LdifWriter', 'Schema', 'parseLdif'],
        instance: true,
        subclass: true,
        schema: true,
        constants: [true, true, true],
        sameCoreClass: true,
        statics: true,
        chain: true,
        frozen: true,
      });
    });
  });

  it('loads no TLS, crypto, zlib or fs/promises on import as an ES module either (nor net, through Node\'s import)', () => {
    for (const file of ['rxldap.node.mjs', 'rxldap.mjs']) {
      const script = `const before = new Set(process.moduleLoadList); await import(${JSON.stringify(join(root, 'dist', file))});` +
        'console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));';
      const loaded = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[];
      expect(loaded, `${file} does load its own needs`).to.include('NativeModule stream');
      for (const lazy of ['tls', 'crypto', 'zlib', 'fs/promises', ...(file === 'rxldap.node.mjs' ? ['net'] : [])]) expect(loaded, file).to.not.include(`NativeModule ${lazy}`);
    }
  });

  it('as the ES module build bundlers get, loads TLS when a feature needs it: StartTLS works', () => {
    // An ES module has no CommonJS `require` of its own; the build gives it one (createRequire),
    // which lib/util/lazy-builtins.ts uses. Without it, StartTLS failed with "Dynamic require of
    // node:tls is not supported".
    const script = [
      `import { Client } from ${JSON.stringify(join(root, 'dist', 'rxldap.mjs'))};`,
      `const client = new Client({ url: ${JSON.stringify(slapd.url)}, tls: { ca: ${JSON.stringify(slapd.caCert.toString('utf8'))} }, timeout: 10_000 });`,
      'await client.startTLS();',
      `await client.bind(${JSON.stringify(slapd.adminDN)}, ${JSON.stringify(slapd.adminPassword)});`,
      'const who = await client.whoami();',
      'console.log(JSON.stringify({ secure: client.isSecure, who, tls: process.moduleLoadList.includes("NativeModule tls") }));',
      'await client.unbind();',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).to.deep.equal({ secure: true, who: `dn:${slapd.adminDN}`, tls: true });
  });

  it("gives Node's import the CommonJS module itself: one copy for import and require, and Operations the application's Observables", () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "import { Observable } from 'rxjs';",
      `import { Client, ProtocolError } from ${JSON.stringify(join(root, 'dist', 'rxldap.node.mjs'))};`,
      `import { decodeMessage } from ${JSON.stringify(join(root, 'dist', 'wire.node.mjs'))};`,
      'const required = createRequire(import.meta.url);',
      `const cjs = required(${JSON.stringify(join(root, 'dist', 'rxldap.cjs'))});`,
      `const wire = required(${JSON.stringify(join(root, 'dist', 'wire.cjs'))});`,
      "const operation = new Client({ url: 'ldap://127.0.0.1:1' }).search('dc=example,dc=com', { scope: 'base' });",
      'const thrown = (() => { try { decodeMessage(Buffer.from([1])); } catch (error) { return error; } })();',
      'console.log(JSON.stringify({ client: cjs.Client === Client, wire: wire.decodeMessage === decodeMessage, observable: operation instanceof Observable, protocolError: thrown instanceof ProtocolError }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
    expect(JSON.parse(output)).to.deep.equal({ client: true, wire: true, observable: true, protocolError: true });
  });

  it("makes, in the ES module build bundlers get, Operations that are the application's Observables", () => {
    const script = [
      "import { Observable } from 'rxjs';",
      `import { Client } from ${JSON.stringify(join(root, 'dist', 'rxldap.mjs'))};`,
      "const operation = new Client({ url: 'ldap://127.0.0.1:1' }).search('dc=example,dc=com', { scope: 'base' });",
      'console.log(operation instanceof Observable);',
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root }).trim()).to.equal('true');
  });

  it('is pure ASCII, so that Node hands V8 a one-byte source (a two-byte one costs every start)', () => {
    const bundles = readdirSync(join(root, 'dist')).filter((file) => /\.(cjs|mjs)$/.test(file));
    for (const file of bundles) {
      const text = readFileSync(join(root, 'dist', file), 'utf8');
      const at = text.search(/[\u0080-\uffff]/);
      expect(at, `${file}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`).to.equal(-1);
    }
  });

  it('binds, searches, compares, speaks StartTLS and fails with its own typed errors against slapd', async () => {
    const client = new rxldap.Client({ url: slapd.url, tls: { ca: slapd.caCert }, timeout: 10_000 });
    try {
      await client.startTLS();
      await client.bind(slapd.adminDN, slapd.adminPassword);
      const uid = personUid(1);
      const [found] = await client.search(personDN(uid), { scope: 'base', attributes: ['uid'] });
      expect(found?.dn).to.equal(personDN(uid));
      expect(found?.attributes.find((a) => a.type === 'uid')?.vals.map(String)).to.deep.equal([uid]);
      expect(await client.compare(personDN(uid), 'uid', uid)).to.equal(true);
      const missing = await client.search(`uid=nobody,${PEOPLE_DN}`, { scope: 'base' }).then(() => 'found', (error: unknown) => error);
      expect(missing).to.be.instanceOf(rxldap.NoSuchObjectError);
      expect(missing).to.be.instanceOf(rxldap.LdapError);
      expect(() => rxldap.parseFilter('(cn=unclosed')).to.throw(rxldap.InvalidFilterError);
    } finally {
      await client.unbind();
    }
  });
});

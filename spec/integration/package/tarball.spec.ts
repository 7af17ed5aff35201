import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository this spec was compiled from (its package.json says name: rxldap). */
const repoRoot = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as { name?: string }).name === 'rxldap') return dir;
    if (dirname(dir) === dir) throw new Error(`no rxldap package.json above ${__dirname}`);
  }
};

interface Outcome {
  code: number;
  output: string;
}

/** Runs a command to its end; a non-zero exit is an outcome to look at, not an exception. */
const outcome = async (command: string, args: readonly string[], cwd: string): Promise<Outcome> => {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
};

// What a program does with each entry point: enough to touch the client API, the templates and
// the codec API, without a server (a Client connects on its first operation).
const USE_BOTH_ENTRIES = `
const client = new Client({ url: 'ldap://127.0.0.1:1' });
const who = dn\`uid=\${'a,b'},\${parseDN('ou=people,dc=example,dc=com')}\`;
const query = parseFilter('(&(objectClass=person)(uid=a*))');
const bytes = Buffer.from('300c020101600702010304008000', 'hex');
const message = decodeMessage(bytes);
console.log(JSON.stringify({ client: client instanceof Client, dn: String(who), filter: query.type, op: message.protocolOp.type }));
`;
const EXPECTED_OUTPUT = { client: true, dn: 'uid=a\\,b,ou=people,dc=example,dc=com', filter: 'and', op: 'bindRequest' };

const TYPED_PROGRAM = `
const client: Client = new Client({ url: 'ldap://127.0.0.1:1' });
const who: DN = dn\`uid=\${'a'},\${parseDN('dc=example,dc=com')}\`;
const query: Filter = parseFilter('(uid=a)');
const message: LdapMessage = decodeMessage(Buffer.alloc(0));
const entries: Promise<SearchEntry[]> = client.search(String(who), { filter: query }).then((found) => found);
const store: SyncStore = new SqliteSyncStore('replica.sqlite', { cacheKiB: 8192 });
const stored: Promise<StoredEntry | undefined> = new SqliteSyncStore('replica.sqlite').getByDN('uid=a,dc=example,dc=com');
export const used = [message.messageId, entries, store, stored];
`;
const TYPED_IMPORTS = `import { Client, dn, parseDN, parseFilter } from 'rxldap';
import type { DN, Filter, SearchEntry } from 'rxldap';
import { decodeMessage } from 'rxldap/wire';
import type { LdapMessage } from 'rxldap/wire';
import { SqliteSyncStore } from 'rxldap/sqlite-store';
import type { StoredEntry } from 'rxldap/sqlite-store';
import type { SyncStore } from 'rxldap';
`;

/**
 * The package as npm publishes it: packed to a tarball, installed into a project of its own, and
 * used there the ways an application can — ES module, CommonJS, and TypeScript under each module
 * resolution that reads package.json's exports — and not the ways the exports map seals.
 */
describe('The packed tarball, installed in a new project', function () {
  this.timeout(120_000);
  const root = repoRoot();
  const work = mkdtempSync(join(tmpdir(), 'rxldap-tarball-'));
  const project = join(work, 'project');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  let packed: string[];

  before(async () => {
    // --ignore-scripts: prepare would rebuild dist/, under the feet of this very suite.
    const pack = await outcome('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root);
    expect(pack.code, pack.output).to.equal(0);
    const [report] = JSON.parse(pack.output.slice(pack.output.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    packed = report.files.map((file) => file.path).sort();
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    // The tarball's one dependency, rxjs, comes from npm's cache that `npm ci` filled.
    const install = await outcome('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, report.filename)], project);
    expect(install.code, install.output).to.equal(0);
    // The compiler and Node's types are the repository's own (the same versions the suite uses).
    mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'));
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the bundles, their maps, one declaration file per entry and format, and the documents; nothing else', () => {
    const bundles = packed.filter((path) => path.startsWith('dist/'));
    expect(bundles.filter((path) => !/^dist\/rxldap-shared-[A-Z0-9]+\.mjs(\.map)?$/.test(path))).to.deep.equal([
      'dist/cli.cjs',
      'dist/rxldap-later.cjs',
      'dist/rxldap-later.cjs.map',
      'dist/rxldap-shared.cjs',
      'dist/rxldap-shared.cjs.map',
      'dist/rxldap.cjs',
      'dist/rxldap.d.mts',
      'dist/rxldap.d.ts',
      'dist/rxldap.mjs',
      'dist/rxldap.mjs.map',
      'dist/rxldap.node.mjs',
      'dist/schemas.cjs',
      'dist/schemas.cjs.map',
      'dist/schemas.d.mts',
      'dist/schemas.d.ts',
      'dist/schemas.mjs',
      'dist/schemas.mjs.map',
      'dist/server.cjs',
      'dist/server.cjs.map',
      'dist/server.d.mts',
      'dist/server.d.ts',
      'dist/server.mjs',
      'dist/server.mjs.map',
      'dist/server.node.mjs',
      'dist/sqlite-store.cjs',
      'dist/sqlite-store.d.mts',
      'dist/sqlite-store.d.ts',
      'dist/sqlite-store.mjs',
      'dist/sqlite-store.mjs.map',
      'dist/sqlite-store.node.mjs',
      'dist/wire.cjs',
      'dist/wire.d.mts',
      'dist/wire.d.ts',
      'dist/wire.mjs',
      'dist/wire.mjs.map',
      'dist/wire.node.mjs',
    ]);
    expect(packed.filter((path) => !path.startsWith('dist/'))).to.deep.equal(['CHANGELOG.md', 'LICENSE', 'README.md', 'SECURITY.md', 'package.json']);
  });

  it('runs as an ES module (import) and as CommonJS (require)', async () => {
    writeFileSync(join(project, 'esm.mjs'), `import { Client, dn, parseDN, parseFilter } from 'rxldap';\nimport { decodeMessage } from 'rxldap/wire';\n${USE_BOTH_ENTRIES}`);
    writeFileSync(join(project, 'cjs.cjs'), `const { Client, dn, parseDN, parseFilter } = require('rxldap');\nconst { decodeMessage } = require('rxldap/wire');\n${USE_BOTH_ENTRIES}`);
    for (const program of ['esm.mjs', 'cjs.cjs']) {
      const result = await outcome(process.execPath, [program], project);
      expect(result.code, result.output).to.equal(0);
      expect(JSON.parse(result.output), program).to.deep.equal(EXPECTED_OUTPUT);
    }
  });

  it('has one copy in a program that both imports and requires it (one Client class, one codec registry)', async () => {
    writeFileSync(
      join(project, 'both.mjs'),
      "import { createRequire } from 'node:module';\nimport { Client } from 'rxldap';\nimport { decodeControl } from 'rxldap/wire';\n" +
        "const required = createRequire(import.meta.url);\n" +
        "console.log(JSON.stringify({ client: required('rxldap').Client === Client, wire: required('rxldap/wire').decodeControl === decodeControl }));\n",
    );
    const result = await outcome(process.execPath, ['both.mjs'], project);
    expect(result.code, result.output).to.equal(0);
    expect(JSON.parse(result.output)).to.deep.equal({ client: true, wire: true });
  });

  it("bundled by esbuild (the `module` condition), runs without node_modules, its Operations its own rxjs's Observables", async () => {
    writeFileSync(
      join(project, 'bundled.mjs'),
      "import { Observable } from 'rxjs';\nimport { Client } from 'rxldap';\n" +
        "const operation = new Client({ url: 'ldap://127.0.0.1:1' }).search('dc=example,dc=com', { scope: 'base' });\n" +
        'console.log(JSON.stringify({ observable: operation instanceof Observable }));\n',
    );
    const esbuild = require(join(root, 'node_modules', 'esbuild')) as typeof import('esbuild');
    // Out of the project: no node_modules to fall back on at run time.
    const outfile = join(work, 'bundled', 'app.mjs');
    esbuild.buildSync({ entryPoints: [join(project, 'bundled.mjs')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
    const result = await outcome(process.execPath, [outfile], work);
    expect(result.code, result.output).to.equal(0);
    expect(JSON.parse(result.output)).to.deep.equal({ observable: true });
  });

  it('serves an in-memory directory from rxldap/server in both formats, sharing the client\'s classes', async () => {
    const use = `(async () => {
  const server = await startDirectory({ entries: [{ dn: 'dc=example,dc=com', attributes: { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' } }], rootPassword: 'secret' });
  const client = new Client({ url: server.url, connect: () => server.connect() });
  await client.bind('cn=admin,dc=example,dc=com', 'secret');
  const [entry] = await client.search('dc=example,dc=com', { scope: 'base' });
  const missing = await client.search('ou=nowhere,dc=example,dc=com').then(() => 'found', (error) => error instanceof NoSuchObjectError);
  await client.unbind();
  await server.close();
  console.log(JSON.stringify({ dn: entry.dn, o: entry.get('o'), missing }));
})();
`;
    writeFileSync(join(project, 'server.mjs'), `import { Client, NoSuchObjectError } from 'rxldap';\nimport { startDirectory } from 'rxldap/server';\n${use}`);
    writeFileSync(join(project, 'server.cjs'), `const { Client, NoSuchObjectError } = require('rxldap');\nconst { startDirectory } = require('rxldap/server');\n${use}`);
    for (const program of ['server.mjs', 'server.cjs']) {
      const result = await outcome(process.execPath, [program], project);
      expect(result.code, result.output).to.equal(0);
      expect(JSON.parse(result.output), program).to.deep.equal({ dn: 'dc=example,dc=com', o: 'Example', missing: true });
    }
  });

  for (const [name, compilerOptions] of [
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ] as const) {
    it(`type-checks a program under moduleResolution ${name}, as CommonJS (.cts) and as an ES module (.mts)`, async () => {
      const folder = join(project, `ts-${name}`);
      mkdirSync(folder);
      writeFileSync(join(folder, 'main.cts'), TYPED_IMPORTS + TYPED_PROGRAM);
      writeFileSync(join(folder, 'main.mts'), TYPED_IMPORTS + TYPED_PROGRAM);
      // skipLibCheck off: the rolled-up declarations must themselves compile.
      const tsconfig = { compilerOptions: { ...compilerOptions, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, include: ['*.cts', '*.mts'] };
      writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify(tsconfig));
      const result = await outcome(process.execPath, [tsc, '-p', folder], project);
      expect(result.code, result.output).to.equal(0);
    });
  }

  it('installs the rxldap command: npx rxldap --help, and a command that fails says so with its exit code', async () => {
    const help = await outcome('npx', ['--no-install', 'rxldap', '--help'], project);
    expect(help.code, help.output).to.equal(0);
    expect(help.output).to.match(/^Usage: rxldap <command>/);
    expect(help.output).to.include('search').and.include('watch').and.include('Exit codes:');
    const searchHelp = await outcome('npx', ['--no-install', 'rxldap', 'search', '--help'], project);
    expect(searchHelp.code, searchHelp.output).to.equal(0);
    expect(searchHelp.output).to.match(/^Usage: rxldap search/);
    // nothing listens on port 1: the command runs far enough to try, and exits 81 (server down)
    const refused = await outcome('npx', ['--no-install', 'rxldap', 'whoami', '-H', 'ldap://127.0.0.1:1'], project);
    expect(refused.code, refused.output).to.equal(81);
    expect(refused.output).to.include('ConnectionError');
    const usage = await outcome('npx', ['--no-install', 'rxldap', 'search', '--no-such-option'], project);
    expect(usage.code, usage.output).to.equal(1);
  });

  it('rxldap serve runs the in-memory directory from the installed package (its server bundle loaded on demand), and rxldap talks to it', async () => {
    writeFileSync(join(project, 'tiny.ldif'), 'dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n');
    const bin = join(project, 'node_modules', '.bin', 'rxldap');
    const server = spawn(bin, ['serve', '-f', 'tiny.ldif'], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout.setEncoding('utf8');
        server.stdout.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
        });
        server.on('exit', (code) => reject(new Error(`rxldap serve ended with ${code}`)));
      });
      expect(url).to.match(/^ldap:\/\/127\.0\.0\.1:\d+$/);
      const found = await outcome(bin, ['search', '-H', url, '-b', 'dc=example,dc=com', '-s', 'base', 'o'], project);
      expect(found.code, found.output).to.equal(0);
      expect(JSON.parse(found.output)).to.deep.equal({ dn: 'dc=example,dc=com', attributes: { o: ['Example'] } });
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('rxldap/sqlite-store imports without its optional peer better-sqlite3, and opening a store then says what to install', async () => {
    expect(readdirSync(join(project, 'node_modules')), 'npm does not install an optional peer').to.not.include('better-sqlite3');
    const program = "const { SyncStoreStateError } = require('rxldap');\nconst { SqliteSyncStore } = require('rxldap/sqlite-store');\n" +
      "new SqliteSyncStore('never.sqlite').open().then(() => console.log('opened'), (e) => console.log(e instanceof SyncStoreStateError, e.message));\n";
    writeFileSync(join(project, 'sqlite.cjs'), program);
    const result = await outcome(process.execPath, ['sqlite.cjs'], project);
    expect(result.code, result.output).to.equal(0);
    expect(result.output.trim()).to.equal('true SqliteSyncStore needs the better-sqlite3 package (npm install better-sqlite3@12)');
  });

  it('refuses a deep import, in the compiler and at run time', async () => {
    const folder = join(project, 'deep');
    mkdirSync(folder);
    writeFileSync(join(folder, 'deep.cts'), "import { Client } from 'rxldap/dist/rxldap.cjs';\nexport const made = Client;\n");
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, noEmit: true, types: ['node'] }, include: ['*.cts'] }));
    const compiled = await outcome(process.execPath, [tsc, '-p', folder], project);
    expect(compiled.code).to.not.equal(0);
    expect(compiled.output).to.include("TS2307: Cannot find module 'rxldap/dist/rxldap.cjs'");

    for (const args of [
      ['-e', "require('rxldap/dist/rxldap-shared.cjs')"],
      ['-e', "require('rxldap/lib/index')"],
      ['--input-type=module', '-e', "await import('rxldap/dist/rxldap.mjs')"],
    ]) {
      const result = await outcome(process.execPath, args, project);
      expect(result.code, args.join(' ')).to.not.equal(0);
      expect(result.output, args.join(' ')).to.include('ERR_PACKAGE_PATH_NOT_EXPORTED');
    }
    // The file is there: it is the exports map that refuses it.
    expect(readdirSync(join(project, 'node_modules', 'rxldap', 'dist'))).to.include('rxldap-shared.cjs');
  });
});

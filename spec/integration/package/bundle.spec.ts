import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Observable } from 'rxjs';
import * as sources from '../../../lib';
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

/**
 * What users load: package.json's main, the esbuild bundle `npm run build` writes. The rest of
 * the suite tests the tsc build of the same sources; this checks the bundle is that code too.
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

  it('is one bundled file with a source map, beside the type declarations', () => {
    expect(manifest.main).to.equal('dist/rxldap.js');
    expect(readFileSync(mainPath, 'utf8')).to.match(/\/\/# sourceMappingURL=rxldap\.js\.map\s*$/);
    expect(existsSync(`${mainPath}.map`)).to.equal(true);
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

  it('uses the rxjs the application has (a dependency, not a copy inside the bundle)', () => {
    const client = new rxldap.Client({ url: slapd.url });
    expect(client.search(slapd.baseDN, { scope: 'base' })).to.be.instanceOf(Observable);
    expect(readFileSync(mainPath, 'utf8'), 'esbuild marks each bundled module with its path').to.not.include('node_modules/rxjs');
  });

  it('loads neither TLS, crypto, zlib nor fs/promises until a feature needs them', () => {
    const script = `const before = new Set(process.moduleLoadList); require(${JSON.stringify(mainPath)});` +
      'console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));';
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    expect(loaded, 'it does load its own needs').to.include('NativeModule stream');
    for (const lazy of ['tls', 'crypto', 'zlib', 'fs/promises']) expect(loaded).to.not.include(`NativeModule ${lazy}`);
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

/**
 * The in-memory directory's paged results, server-side sort and syncrepl, judged by OpenLDAP's
 * ldapsearch against slapd (the rig, with sssvlv and syncprov and its session log) loaded with
 * the same LDIF: `-E pr=…`, `-E sss=…`, `-E sync=ro` without and with a cookie after adds,
 * modifies, renames, moves and deletes, and `-E sync=rp` through its persist stage.
 */
import { expect } from 'chai';
import type { DirectoryServer } from '../../../lib/server';
import { BASE_DN, generatePeople, PEOPLE_DN, personDN, personPassword, personUid } from '../../support/data';
import { startRealSlapd as startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { normalize, onBoth } from '../../support/memory/compare';
import { startLiveTool } from '../../support/memory/live-tool';
import { RIG_ADMIN_DN, RIG_ADMIN_PASSWORD, startRigDirectory } from '../../support/memory/rig';

const LDIF = generatePeople(12, { groupSize: 5 });
const ADMIN = ['-x', '-D', RIG_ADMIN_DN, '-w', RIG_ADMIN_PASSWORD];
const LDAPSEARCH = '/usr/bin/ldapsearch';

const CHANGES = [
  `dn: ${personDN(personUid(1))}\nchangetype: modify\nreplace: cn\ncn: Changed\n`,
  `dn: ${personDN(personUid(2))}\nchangetype: delete\n`,
  `dn: uid=newcomer,${PEOPLE_DN}\nchangetype: add\nobjectClass: inetOrgPerson\ncn: New Comer\nsn: Comer\n`,
  `dn: ${personDN(personUid(4))}\nchangetype: modrdn\nnewrdn: uid=renamed\ndeleteoldrdn: 1\n`,
  `dn: ${personDN(personUid(5))}\nchangetype: modrdn\nnewrdn: uid=${personUid(5)}\ndeleteoldrdn: 1\nnewsuperior: ou=groups,${BASE_DN}\n`,
  `dn: ${personDN(personUid(6))}\nchangetype: delete\n`,
].map((record) => `${record}\n`);

describe('in-memory directory vs slapd: paged results, sort and syncrepl (ldapsearch -E)', function () {
  this.timeout(60_000);
  let slapd: SlapdInstance;
  let memory: DirectoryServer;

  before(async () => {
    [slapd, memory] = await Promise.all([startSlapd({ ldif: LDIF }), startRigDirectory(LDIF, { staleCookie: 'present' })]);
  });
  after(async () => {
    await Promise.all([slapd?.stop(), memory?.close()]);
  });

  const same = async (args: readonly string[] | ((server: 'slapd' | 'memory') => readonly string[]), expectCode = 0): Promise<string> => {
    const { slapd: expected, memory: actual } = await onBoth({ slapd, memory }, 'ldapsearch', args);
    expect(actual).to.deep.equal(expected);
    expect(expected.code, expected.stderr).to.equal(expectCode);
    return expected.stdout;
  };
  const urlOf = (server: 'slapd' | 'memory'): string => (server === 'slapd' ? slapd.url : memory.url);
  const cookieOf = (output: string): string => {
    const found = /^# cookie: (\S+)$/m.exec(output);
    if (found === null) throw new Error(`no cookie in:\n${output}`);
    return found[1]!;
  };

  describe('paged results (-E pr=N/noprompt)', () => {
    it('pages as slapd does, the last page with an empty cookie', async () => {
      const out = await same([...ADMIN, '-b', PEOPLE_DN, '-s', 'one', '-E', 'pr=5/noprompt', 'uid']);
      expect(out.match(/pagedresults: cookie=<cookie>/g)).to.have.length(2);
    });

    it('a user with a size limit gets sizeLimitExceeded on the page that passes it', async () => {
      await same(['-x', '-D', personDN(personUid(1)), '-w', personPassword(personUid(1)), '-b', PEOPLE_DN, '-s', 'one', '-z', '7', '-E', 'pr=3/noprompt', 'uid'], 4);
    });

    it('with a sort, every page carries the sort result and an estimate of what is left', async () => {
      const out = await same([...ADMIN, '-b', PEOPLE_DN, '-s', 'one', '-E', '!pr=4/noprompt', '-E', 'sss=-cn:caseIgnoreOrderingMatch', 'cn']);
      expect(out).to.include('sortResult: (0) Success').and.include('estimate=');
    });
  });

  describe('server-side sort (-E sss=…)', () => {
    for (const keys of ['cn:caseIgnoreOrderingMatch', '-sn:caseIgnoreOrderingMatch/cn:caseIgnoreOrderingMatch', 'sn', 'bogus', 'createTimestamp', '-uidNumber']) {
      it(`sorts (or refuses) ${keys} as sssvlv does`, async () => {
        await same([...ADMIN, '-b', PEOPLE_DN, '-s', 'one', '-E', `sss=${keys}`, 'cn', 'sn'], keys === 'sn' ? 18 : keys === 'bogus' ? 16 : 0);
      });
    }
  });

  describe('syncrepl', () => {
    it('refreshOnly without a cookie: every entry as an add, then a cookie and refreshDeletes', async () => {
      const out = await same([...ADMIN, '-b', PEOPLE_DN, '-E', 'sync=ro', 'cn']);
      expect(out).to.include('SyncDone control refreshDeletes=1');
    });

    it('refreshOnly from a cookie older than the change log is a present phase (refreshDeletes=0)', async () => {
      const out = await same([...ADMIN, '-b', PEOPLE_DN, '-E', 'sync=ro/rid=000,csn=20000101000000.000000Z#000000#000#000000', 'cn']);
      expect(out).to.include('SyncDone control refreshDeletes=0');
    });

    it('refreshOnly with an unknown future cookie is refused (53)', async () => {
      await same([...ADMIN, '-b', PEOPLE_DN, '-E', 'sync=ro/rid=000,csn=20990101000000.000000Z#000000#000#000000', 'cn'], 53);
    });

    it('refreshAndPersist streams the changes; refreshOnly from the old cookie sends the delete phase and the changed entries', async () => {
      const cookies: Record<string, string> = {};
      for (const server of ['slapd', 'memory'] as const) {
        const first = await slapd.run('ldapsearch', ['-H', urlOf(server), ...ADMIN, '-b', PEOPLE_DN, '-E', 'sync=ro', '1.1']);
        cookies[server] = cookieOf(first.stdout);
      }
      // An up-to-date cookie: nothing to send, and no new cookie.
      await same((server) => [...ADMIN, '-b', PEOPLE_DN, '-E', `sync=ro/${cookies[server]!}`, 'cn']);

      const live: Record<string, string> = {};
      for (const server of ['slapd', 'memory'] as const) {
        const feed = startLiveTool(LDAPSEARCH, ['-H', urlOf(server), ...ADMIN, '-b', PEOPLE_DN, '-E', `sync=rp/${cookies[server]!}`, 'cn'], slapd.toolEnv());
        await feed.waitFor(/switching to persist stage/);
        for (const change of CHANGES) await slapd.run('ldapmodify', ['-H', urlOf(server), ...ADMIN], { input: change });
        await feed.waitFor(/# SyncState control/, CHANGES.length);
        live[server] = normalize(await feed.stop());
      }
      expect(live['memory']).to.equal(live['slapd']);
      expect(live['slapd']).to.match(/modified[\s\S]*deleted[\s\S]*added[\s\S]*modified[\s\S]*deleted[\s\S]*deleted/);

      // slapd sends the changed entries of a delta refresh in no fixed order (runs differ): the
      // delete phase must come first, then the same entries, then the Sync Done.
      const { slapd: expected, memory: actual } = await onBoth({ slapd, memory }, 'ldapsearch', (server) => [...ADMIN, '-b', PEOPLE_DN, '-E', `sync=ro/${cookies[server]!}`, 'cn']);
      const phases = (output: string): { deletes: string; entries: string[]; done: string } => {
        const parts = output.split('\n\n');
        const deletes = parts.filter((part) => part.includes('SyncInfo Received: ID Set'));
        const entries = parts.filter((part) => part.includes('\ndn: '));
        return { deletes: deletes.join('\n\n'), entries: entries.sort(), done: parts.slice(parts.findIndex((part) => part.includes('# search result'))).join('\n\n') };
      };
      expect(phases(actual.stdout)).to.deep.equal(phases(expected.stdout));
      expect(actual.stdout.indexOf('ID Set')).to.be.lessThan(actual.stdout.indexOf('\ndn: '));
      expect(expected.stdout.match(/SyncInfo Received: ID Set/g)).to.have.length(3);
      expect(phases(expected.stdout).entries).to.have.length(3);
      expect(expected.stdout).to.include('SyncDone control refreshDeletes=1');
    });
  });
});

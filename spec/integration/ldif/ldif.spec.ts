/**
 * Issue 13, LDIF against OpenLDAP's own tools on a real slapd: rxldap's LDIF of a search (plain
 * and paged) is ldapsearch's byte for byte; rxldap reads ldapsearch's output back to the entries
 * the search returns; a change file rxldap writes is applied by ldapmodify; and applyLdif leaves
 * a directory equal to the one ldapmodify leaves from the same file.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, LDAPSEARCH_LDIF, NoSuchObjectError, applyLdif, formatLdif, ldifStream, parseLdif } from '../../../lib';
import type { LdifApplyResult, LdifChangeRecord, LdifRecord, SearchEntry } from '../../../lib';
import { BASE_DN, PEOPLE_DN, generatePeople, personDN, personUid } from '../../support/data';
import { LEADING_SPACE, NOT_UTF8, UTF8_UID, specialEntriesLdif, tinyJpeg } from '../../support/ldif-entries';
import { requireSuccess, startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';

const PEOPLE = 300;
const load = (): string => generatePeople(PEOPLE, { groupSize: 0 }) + specialEntriesLdif();

/** ldapsearch as the rootdn, folded at 76 as asked; stdout (ASCII: ldapsearch base64s the rest). */
const ldapsearch = async (slapd: SlapdInstance, base: string, args: readonly string[] = []): Promise<string> => {
  const result = requireSuccess(
    await slapd.run('ldapsearch', ['-LLL', '-x', '-H', slapd.url, '-D', slapd.adminDN, '-w', slapd.adminPassword, '-o', 'ldif-wrap=76', '-b', base, ...args]),
  );
  return result.stdout;
};

/** The records of an LDIF text as sorted blocks, so that server order does not matter. */
const blocks = (ldif: string): string[] => ldif.split('\n\n').filter((block) => block.trim() !== '').sort();

const read = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
};

const admin = async (slapd: SlapdInstance): Promise<Client> => {
  const client = new Client({ url: slapd.url });
  await client.bind(slapd.adminDN, slapd.adminPassword);
  return client;
};

describe('LDIF against OpenLDAP ldapsearch and ldapmodify (issue 13)', function () {
  this.timeout(120_000);
  let slapd: SlapdInstance;
  let client: Client;

  before(async () => {
    slapd = await startSlapd({ ldif: load() });
    client = await admin(slapd);
  });
  after(async () => {
    await client?.unbind();
    await slapd?.stop();
  });

  describe('a search as LDIF', () => {
    let expected: string;
    before(async () => {
      expected = await ldapsearch(slapd, PEOPLE_DN);
      // The special entries are there, written the ways they should be.
      expect(expected).to.contain(`jpegPhoto:: ${tinyJpeg().toString('base64').slice(0, 60)}`);
      expect(expected).to.contain(`audio:: ${NOT_UTF8.toString('base64')}`);
      expect(expected).to.contain(`description:: ${Buffer.from(LEADING_SPACE).toString('base64')}`);
      expect(expected).to.contain(`dn:: ${Buffer.from(`uid=${UTF8_UID},${PEOPLE_DN}`).toString('base64')}`);
      expect(expected).to.match(/\nl: x{72}\n/);
      expect(expected).to.match(/\nst: x{72}\n x\n/);
    });

    it('ldifStream(search) with LDAPSEARCH_LDIF equals ldapsearch -LLL -o ldif-wrap=76, entry by entry, byte for byte', async () => {
      const ours = await read(ldifStream(client.search(PEOPLE_DN, { scope: 'sub' }), LDAPSEARCH_LDIF));
      expect(blocks(ours)).to.have.length(PEOPLE + 4);
      expect(blocks(ours)).to.deep.equal(blocks(expected));
      // The server sent both the same order, and rxldap keeps it: the whole text is the same.
      expect(ours).to.equal(expected);
    });

    it('a paged search gives the same bytes', async () => {
      const ours = await read(ldifStream(client.pagedSearch(PEOPLE_DN, { scope: 'sub', pageSize: 37 }), LDAPSEARCH_LDIF));
      expect(blocks(ours)).to.deep.equal(blocks(expected));
    });

    it('entry.toLDIF(LDAPSEARCH_LDIF) is each entry of ldapsearch', async () => {
      const entries = await client.search(PEOPLE_DN, { scope: 'sub' });
      expect(blocks(entries.map((entry) => `${entry.toLDIF(LDAPSEARCH_LDIF)}\n`).join(''))).to.deep.equal(blocks(expected));
    });

    it('by RFC 2849 rules (the default) it differs only where ldapsearch base64s more, and reads back the same', async () => {
      const ours = await read(ldifStream(client.search(PEOPLE_DN, { scope: 'sub' })));
      const unfold = (text: string): string[] => text.replace(/\n /g, '').split('\n');
      const theirs = new Set(unfold(expected));
      const differing = new Set(unfold(ours).filter((line) => !theirs.has(line)).map((line) => line.split(':')[0]));
      // userPassword (always base64 for ldapsearch) and the value with a tab (SAFE-STRING allows it plain).
      expect([...differing].sort()).to.deep.equal(['title', 'userPassword']);
      expect(ours).to.contain('title: a\ttab\n');
      expect(parseLdif(ours).map(({ line: _line, ...record }) => record)).to.deep.equal(parseLdif(expected).map(({ line: _line, ...record }) => record));
    });
  });

  it("the reader reads ldapsearch's output back to the entries the search returns", async () => {
    const records = parseLdif(await ldapsearch(slapd, PEOPLE_DN));
    const entries: SearchEntry[] = await client.search(PEOPLE_DN, { scope: 'sub' });
    expect(records).to.have.length(entries.length);
    const asRecord = (entry: SearchEntry): unknown => ({ dn: entry.dn, attributes: entry.attributes.map((a) => ({ type: a.type, vals: a.vals })) });
    expect(records.map((record) => ({ dn: record.dn, attributes: record.type === 'content' ? record.attributes : undefined }))).to.deep.equal(entries.map(asRecord));
    const binary = records.find((record) => record.dn.startsWith('uid=binary'));
    expect(binary?.type === 'content' && binary.attributes.find((a) => a.type === 'jpegPhoto')?.vals[0]).to.deep.equal(tinyJpeg());
  });

  describe('change files', () => {
    const jpeg = tinyJpeg();
    const changes = (): LdifChangeRecord[] => [
      {
        type: 'add', dn: `uid=added,${PEOPLE_DN}`, controls: [],
        attributes: [
          { type: 'objectClass', vals: [Buffer.from('inetOrgPerson')] }, { type: 'uid', vals: [Buffer.from('added')] },
          { type: 'sn', vals: [Buffer.from('Ädded')] }, { type: 'cn', vals: [Buffer.from(' spaced ')] },
          { type: 'jpegPhoto', vals: [jpeg] }, { type: 'audio', vals: [NOT_UTF8] },
          { type: 'description', vals: [Buffer.from('long '.repeat(60).trim())] },
        ],
      },
      {
        type: 'modify', dn: personDN(personUid(1)), controls: [{ type: 'raw', oid: '2.16.840.1.113730.3.4.2', criticality: false }],
        changes: [
          { operation: 'replace', attribute: 'description', values: [Buffer.from(':starts with a colon'), Buffer.from('<and an angle')] },
          { operation: 'add', attribute: 'mail', values: [Buffer.from('second@example.com')] },
          { operation: 'delete', attribute: 'telephoneNumber', values: [] },
          { operation: 'add', attribute: 'jpegPhoto', values: [jpeg] },
        ],
      },
      { type: 'modrdn', dn: personDN(personUid(2)), controls: [], newRdn: 'uid=renamed', deleteOldRdn: true },
      { type: 'modrdn', dn: personDN(personUid(3)), controls: [], newRdn: `uid=${UTF8_UID}2`, deleteOldRdn: false, newSuperior: BASE_DN },
      { type: 'delete', dn: personDN(personUid(4)), controls: [] },
    ];

    it('a change file rxldap writes is applied by ldapmodify, and ldapsearch shows the changes', async () => {
      const target = await startSlapd({ ldif: load() });
      try {
        requireSuccess(await target.run('ldapmodify', ['-x', '-H', target.url, '-D', target.adminDN, '-w', target.adminPassword], { input: formatLdif(changes()) }));
        const after = parseLdif(await ldapsearch(target, BASE_DN, ['(|(uid=added)(uid=user0001)(uid=renamed)(uid=josé2)(uid=user0002)(uid=user0003)(uid=user0004))']));
        const byDN = new Map(after.map((record) => [record.dn, record.type === 'content' ? record.attributes : []]));
        expect([...byDN.keys()].sort()).to.deep.equal([`uid=${UTF8_UID}2,${BASE_DN}`, `uid=added,${PEOPLE_DN}`, `uid=renamed,${PEOPLE_DN}`, personDN(personUid(1))].sort());
        const values = (dn: string, type: string): Buffer[] => [...(byDN.get(dn)?.find((a) => a.type === type)?.vals ?? [])];
        expect(values(`uid=added,${PEOPLE_DN}`, 'jpegPhoto')).to.deep.equal([jpeg]);
        expect(values(`uid=added,${PEOPLE_DN}`, 'audio')).to.deep.equal([NOT_UTF8]);
        expect(values(`uid=added,${PEOPLE_DN}`, 'cn')).to.deep.equal([Buffer.from(' spaced ')]);
        expect(values(`uid=added,${PEOPLE_DN}`, 'sn')).to.deep.equal([Buffer.from('Ädded')]);
        expect(values(personDN(personUid(1)), 'description').map(String)).to.deep.equal([':starts with a colon', '<and an angle']);
        expect(values(personDN(personUid(1)), 'telephoneNumber')).to.deep.equal([]);
        expect(values(personDN(personUid(1)), 'jpegPhoto')).to.deep.equal([jpeg]);
        expect(values(`uid=renamed,${PEOPLE_DN}`, 'uid').map(String)).to.deep.equal(['renamed']);
        expect(values(`uid=${UTF8_UID}2,${BASE_DN}`, 'uid').map(String).sort()).to.deep.equal([`${UTF8_UID}2`, personUid(3)].sort());
      } finally {
        await target.stop();
      }
    });

    it('applyLdif gives the same directory as ldapmodify -c on the same file, a result per record, and stops at the first failure without continueOnError', async () => {
      const file =
        formatLdif(changes()) +
        // A delete of nothing (fails in both), then more work after it.
        `dn: uid=nobody,${PEOPLE_DN}\nchangetype: delete\n\n` +
        `dn: ${personDN(personUid(5))}\nchangetype: modify\nreplace: sn\nsn:: ${Buffer.from('Zoë').toString('base64')}\n-\n\n`;
      const [theirs, ours] = await Promise.all([startSlapd({ ldif: load() }), startSlapd({ ldif: load() })]);
      try {
        const tool = await theirs.run('ldapmodify', ['-c', '-x', '-H', theirs.url, '-D', theirs.adminDN, '-w', theirs.adminPassword], { input: file });
        expect(tool.code, 'ldapmodify -c reports the failed record').to.equal(32);
        const writer = await admin(ours);
        const results: LdifApplyResult[] = [];
        try {
          for await (const result of applyLdif(writer, parseLdif(file), { continueOnError: true })) results.push(result);
        } finally {
          await writer.unbind();
        }
        expect(results.map((r) => r.ok)).to.deep.equal([true, true, true, true, true, false, true]);
        expect(results[5]!.error).to.be.instanceOf(NoSuchObjectError);
        expect(results[5]!.line).to.equal(parseLdif(file)[5]!.line);
        expect(blocks(await ldapsearch(ours, BASE_DN))).to.deep.equal(blocks(await ldapsearch(theirs, BASE_DN)));

        // Without continueOnError the failed record is the last result, and nothing after it is applied.
        const again = await admin(ours);
        try {
          const stopped: LdifApplyResult[] = [];
          const records: LdifRecord[] = parseLdif(`dn: uid=nobody,${PEOPLE_DN}\nchangetype: delete\n\ndn: ${personDN(personUid(6))}\nchangetype: delete\n`);
          for await (const result of applyLdif(again, records)) stopped.push(result);
          expect(stopped.map((r) => [r.index, r.ok])).to.deep.equal([[0, false]]);
          expect(await again.search(personDN(personUid(6)), { scope: 'base' })).to.have.length(1);
        } finally {
          await again.unbind();
        }
      } finally {
        await Promise.all([theirs.stop(), ours.stop()]);
      }
    });
  });
});

describe('ldifStream and a slow destination (issue 13, memory bounded as for the plain search)', function () {
  this.timeout(120_000);
  const PEOPLE_COUNT = 5000;
  let slapd: SlapdInstance;
  before(async () => {
    slapd = await startSlapd({ ldif: generatePeople(PEOPLE_COUNT, { groupSize: 0 }) });
  });
  after(async () => {
    await slapd?.stop();
  });

  it('reads the search with a window of 100 entries: what waits for the destination is bytes, not the search\'s 1000 entries', async () => {
    const client = await admin(slapd);
    const search = client.search(PEOPLE_DN, { scope: 'one' });
    expect(search.highWaterMark).to.equal(1000);
    let records = 0;
    let writes = 0;
    // A destination that takes its first 40 writes slowly, as a busy disk would.
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        records += chunk.toString('latin1').split('\n\n').length - 1;
        if (++writes <= 40) setTimeout(callback, 20);
        else callback();
      },
    });
    await pipeline(ldifStream(search, LDAPSEARCH_LDIF), slow);
    expect(records).to.equal(PEOPLE_COUNT);
    // At most the window, and what one socket read brought on top of it (64 KiB: about 150 of these entries).
    expect(search.peakBuffered).to.be.at.least(100);
    expect(search.peakBuffered).to.be.at.most(100 + 250);
    await client.unbind();
  });

  it('keeps a lower highWaterMark of the search, and refuses a window that is not a positive integer', async () => {
    const client = await admin(slapd);
    const search = client.search(PEOPLE_DN, { scope: 'one', highWaterMark: 20 });
    const slow = new Writable({ highWaterMark: 1, write: (_chunk: Buffer, _encoding, callback) => setTimeout(callback, 2) });
    await pipeline(ldifStream(search), slow);
    expect(search.peakBuffered).to.be.at.most(20 + 250);
    expect(() => client.search(PEOPLE_DN).iterate(0)).to.throw(RangeError);
    expect(() => client.search(PEOPLE_DN).iterate(1.5)).to.throw(RangeError);
    await client.unbind();
  });
});

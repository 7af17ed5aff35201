/**
 * The LDIF writer: base64 exactly where SAFE-STRING requires it (or where ldapsearch puts it,
 * with LDAPSEARCH_LDIF), folding at 76 columns by default, every record type, and names that
 * could break a line refused. What it writes reads back to the same records.
 */
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { LdifRecordError } from '../../../lib/errors';
import { formatLdif, formatLdifRecord, LdifWriter, LDAPSEARCH_LDIF, parseLdif } from '../../../lib/ldif';
import type { LdifRecord, LdifWriterOptions } from '../../../lib/ldif';
import { ldifStream, SearchEntry } from '../../../lib/search';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const line = (value: Buffer, options?: LdifWriterOptions): string => formatLdifRecord({ type: 'content', dn: '', attributes: [{ type: 'cn', vals: [value] }] }, options).split('\n').slice(1).join('\n');

describe('LDIF writer', () => {
  describe('SAFE-STRING (the default)', () => {
    const plain = ['x', 'a b', 'a:b<c', '#hash', '-', 'tab\there', 'ctl\u0001x', '\u0001start', 'del\u007f', '~'];
    const base64 = [' leading space', 'trailing space ', ':colon', '<less', 'new\nline', 'cr\rx', 'nul\u0000x', 'Jos\u00e9', '\u00ff'];
    for (const value of plain) it(`writes ${JSON.stringify(value)} plain`, () => expect(line(b(value))).to.equal(`cn: ${value}\n`));
    for (const value of base64) it(`writes ${JSON.stringify(value)} as base64`, () => expect(line(b(value))).to.equal(`cn:: ${b(value).toString('base64')}\n`));
    it('writes an empty value as "name:"', () => expect(line(b(''))).to.equal('cn:\n'));
    it('writes a DN that is not a SAFE-STRING as base64 of its UTF-8', () => {
      expect(formatLdifRecord({ type: 'content', dn: 'cn=José', attributes: [] })).to.equal(`dn:: ${Buffer.from('cn=José').toString('base64')}\n`);
      expect(formatLdifRecord({ type: 'content', dn: ' cn=x', attributes: [] })).to.equal(`dn:: ${Buffer.from(' cn=x').toString('base64')}\n`);
      expect(formatLdifRecord({ type: 'content', dn: '', attributes: [] })).to.equal('dn:\n');
    });
  });

  describe('LDAPSEARCH_LDIF (OpenLDAP ldapsearch)', () => {
    it('base64s what is not printable ASCII, and every userPassword and ;binary value', () => {
      expect(line(b('tab\there'), LDAPSEARCH_LDIF)).to.equal(`cn:: ${b('tab\there').toString('base64')}\n`);
      expect(line(b('del\u007f'), LDAPSEARCH_LDIF)).to.equal(`cn:: ${b('del\u007f').toString('base64')}\n`);
      expect(line(b('a:b<c'), LDAPSEARCH_LDIF)).to.equal('cn: a:b<c\n');
      const record = { type: 'content', dn: 'cn=x', attributes: [{ type: 'userPassword', vals: [b('plain')] }, { type: 'userCertificate;binary', vals: [b('abc')] }] } as const;
      expect(formatLdifRecord(record, LDAPSEARCH_LDIF)).to.equal('dn: cn=x\nuserPassword:: cGxhaW4=\nuserCertificate;binary:: YWJj\n');
    });
  });

  describe('folding', () => {
    it('folds at 76 bytes by default: the first line 76, continuations a space and 75', () => {
      const text = line(b('x'.repeat(200)));
      const lines = text.trimEnd().split('\n');
      expect(lines.map((l) => l.length)).to.deep.equal([76, 76, 54]);
      expect(lines.slice(1).every((l) => l.startsWith(' '))).to.equal(true);
      expect(line(b('y'.repeat(72)))).to.equal(`cn: ${'y'.repeat(72)}\n`);
      expect(line(b('y'.repeat(73)))).to.equal(`cn: ${'y'.repeat(72)}\n y\n`);
    });

    it('folds at another width, or never', () => {
      expect(line(b('abcdefgh'), { wrap: 6 })).to.equal('cn: ab\n cdefg\n h\n');
      expect(line(b('z'.repeat(500)), { wrap: 0 })).to.equal(`cn: ${'z'.repeat(500)}\n`);
      expect(() => line(b('x'), { wrap: 1 })).to.throw(RangeError);
    });
  });

  describe('change records', () => {
    const records: LdifRecord[] = [
      { type: 'add', dn: 'cn=a,dc=x', controls: [], attributes: [{ type: 'objectClass', vals: [b('top'), b('person')] }, { type: 'cn', vals: [b('a')] }] },
      { type: 'delete', dn: 'cn=a,dc=x', controls: [{ type: 'raw', oid: '1.2.840.113556.1.4.805', criticality: true }, { type: 'raw', oid: '1.2.3', criticality: false, value: Buffer.from([0, 1]) }] },
      {
        type: 'modify', dn: 'cn=a,dc=x', controls: [],
        changes: [
          { operation: 'add', attribute: 'mail', values: [b('a@x')] },
          { operation: 'delete', attribute: 'sn', values: [] },
          { operation: 'replace', attribute: 'description', values: [b(' lead')] },
          { operation: 'increment', attribute: 'uidNumber', values: [b('1')] },
        ],
      },
      { type: 'modrdn', dn: 'cn=a,dc=x', controls: [], newRdn: 'cn=Zoë', deleteOldRdn: true, newSuperior: 'ou=new,dc=x' },
      { type: 'modrdn', dn: 'cn=b,dc=x', controls: [], newRdn: 'cn=c', deleteOldRdn: false },
    ];

    it('writes each type as RFC 2849 says', () => {
      expect(formatLdif(records)).to.equal(
        'dn: cn=a,dc=x\nchangetype: add\nobjectClass: top\nobjectClass: person\ncn: a\n\n' +
          'dn: cn=a,dc=x\ncontrol: 1.2.840.113556.1.4.805 true\ncontrol: 1.2.3:: AAE=\nchangetype: delete\n\n' +
          'dn: cn=a,dc=x\nchangetype: modify\nadd: mail\nmail: a@x\n-\ndelete: sn\n-\nreplace: description\ndescription:: IGxlYWQ=\n-\nincrement: uidNumber\nuidNumber: 1\n-\n\n' +
          `dn: cn=a,dc=x\nchangetype: modrdn\nnewrdn:: ${Buffer.from('cn=Zoë').toString('base64')}\ndeleteoldrdn: 1\nnewsuperior: ou=new,dc=x\n\n` +
          'dn: cn=b,dc=x\nchangetype: modrdn\nnewrdn: cn=c\ndeleteoldrdn: 0\n\n',
      );
    });

    it('reads back to the same records', () => {
      const back = parseLdif(formatLdif(records, { version: true })).map(({ line: _line, ...rest }) => rest);
      expect(back).to.deep.equal(records);
    });
  });

  it('writes a SearchEntry with entry.toLDIF(), attributes in the order received', () => {
    const entry = new SearchEntry('uid=u,dc=x', [{ type: 'uid', vals: [b('u')] }, { type: 'jpegPhoto', vals: [Buffer.from([0xff, 0xd8])] }, { type: 'cn', vals: [b('U')] }]);
    expect(entry.toLDIF()).to.equal('dn: uid=u,dc=x\nuid: u\njpegPhoto:: /9g=\ncn: U\n');
  });

  it('refuses names and OIDs that would break the LDIF, and unknown record types', () => {
    const bad = (attributes: Array<{ type: string; vals: Buffer[] }>): (() => string) => () => formatLdifRecord({ type: 'content', dn: 'cn=x', attributes });
    expect(bad([{ type: 'cn\ninjected: yes', vals: [b('x')] }])).to.throw(LdifRecordError);
    expect(bad([{ type: 'cn:', vals: [b('x')] }])).to.throw(LdifRecordError);
    expect(bad([{ type: '', vals: [b('x')] }])).to.throw(LdifRecordError);
    expect(() => formatLdifRecord({ type: 'delete', dn: 'cn=x', controls: [{ type: 'raw', oid: '1.2\n3', criticality: false }] })).to.throw(LdifRecordError);
    expect(() => formatLdifRecord({ type: 'modify', dn: 'cn=x', controls: [], changes: [{ operation: 'add\nx' as 'add', attribute: 'cn', values: [] }] })).to.throw(LdifRecordError);
    expect(() => formatLdifRecord({ type: 'other', dn: 'x' } as unknown as LdifRecord)).to.throw(LdifRecordError);
  });

  it('LdifWriter streams records as LDIF bytes, version first when asked', async () => {
    const chunks: Buffer[] = [];
    const writer = Readable.from([{ type: 'content', dn: 'cn=a', attributes: [{ type: 'cn', vals: [b('a')] }] }, { type: 'delete', dn: 'cn=a', controls: [] }]).pipe(new LdifWriter({ version: true }));
    for await (const chunk of writer) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).to.equal('version: 1\n\ndn: cn=a\ncn: a\n\ndn: cn=a\nchangetype: delete\n\n');
  });

  describe('bytes in chunks (LdifSink)', () => {
    // Values of every kind and length, so records cross the 64 KiB chunks at every kind of line,
    // and one value (300 KB, folded) is bigger than a chunk.
    const many = (): Array<LdifRecord> => {
      const records: LdifRecord[] = [];
      for (let i = 0; i < 3000; i++) {
        const attributes = [
          { type: 'cn', vals: [b(`person ${i}`), b('x'.repeat(i % 200))] },
          { type: 'description', vals: [b(i % 7 === 0 ? ` lead ${i}` : `d${'y'.repeat(i % 150)}`)] },
          { type: 'userPassword', vals: [b(`secret${i}`)] },
          { type: 'jpegPhoto', vals: [Buffer.from(Array.from({ length: i % 90 }, (_, k) => (k * 37 + i) % 256))] },
        ];
        records.push({ type: 'content', dn: i % 11 === 0 ? `cn=Zoë ${i},dc=x` : `cn=p${i},dc=x`, attributes });
        if (i === 1500) records.push({ type: 'content', dn: 'cn=big,dc=x', attributes: [{ type: 'description', vals: [b('z'.repeat(300_000))] }] });
      }
      return records;
    };
    const oneByOne = (records: readonly LdifRecord[], options: LdifWriterOptions): string => records.map((record) => `${formatLdifRecord(record, options)}\n`).join('');

    for (const options of [{}, LDAPSEARCH_LDIF, { wrap: 0 }, { wrap: 7 }] as LdifWriterOptions[]) {
      it(`formatLdif, LdifWriter and ldifStream give the same bytes as formatLdifRecord record by record (${JSON.stringify(options)})`, async () => {
        const records = many();
        const expected = oneByOne(records, options);
        expect(formatLdif(records, options)).to.equal(expected);
        const written: Buffer[] = [];
        for await (const chunk of Readable.from(records).pipe(new LdifWriter(options))) written.push(chunk as Buffer);
        expect(Buffer.concat(written).toString('latin1')).to.equal(expected);
        const streamed: Buffer[] = [];
        for await (const chunk of ldifStream((async function* () { yield* records; })(), options)) streamed.push(chunk as Buffer);
        expect(Buffer.concat(streamed).toString('latin1')).to.equal(expected);
        expect(parseLdif(expected).length).to.equal(records.length);
      });
    }

    it('ldifStream sends what it has as soon as its source goes quiet (a feed that waits for the next change)', async () => {
      let release: () => void = () => undefined;
      const waiting = new Promise<void>((resolve) => (release = resolve));
      const feed = async function* (): AsyncGenerator<LdifRecord> {
        yield { type: 'delete', dn: 'cn=a,dc=x', controls: [] };
        yield { type: 'delete', dn: 'cn=b,dc=x', controls: [] };
        await waiting; // no more changes until the first ones have been read
        yield { type: 'delete', dn: 'cn=c,dc=x', controls: [] };
      };
      const stream = ldifStream(feed());
      const chunks = stream[Symbol.asyncIterator]();
      const first = await chunks.next();
      expect((first.value as Buffer).toString()).to.equal('dn: cn=a,dc=x\nchangetype: delete\n\ndn: cn=b,dc=x\nchangetype: delete\n\n');
      release();
      const rest: Buffer[] = [];
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) rest.push(next.value as Buffer);
      expect(Buffer.concat(rest).toString()).to.equal('dn: cn=c,dc=x\nchangetype: delete\n\n');
    });

    it('LdifWriter fails on a bad record and leaves no part of it in the output', async () => {
      const writer = new LdifWriter();
      const out: Buffer[] = [];
      writer.on('data', (chunk: Buffer) => out.push(chunk));
      const failed = new Promise<Error>((resolve) => writer.on('error', resolve));
      writer.write({ type: 'content', dn: 'cn=a', attributes: [{ type: 'cn', vals: [b('a')] }] });
      writer.write({ type: 'content', dn: 'cn=b', attributes: [{ type: 'cn', vals: [b('b')] }, { type: 'bad name', vals: [b('x')] }] });
      expect(await failed).to.be.instanceOf(LdifRecordError);
      expect(Buffer.concat(out).toString()).to.equal('dn: cn=a\ncn: a\n\n');
    });
  });
});

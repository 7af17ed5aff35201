/**
 * The LDIF reader, rule by rule of RFC 2849: what each construct reads as, and for each way to
 * get it wrong, the typed error and the line and column it names.
 */
import { expect } from 'chai';
import { LdifError, LdifLimitError, LdifSyntaxError, LdifUrlError, RxLdapError } from '../../../lib/errors';
import { parseLdif } from '../../../lib/ldif';
import type { LdifReaderOptions, LdifRecord } from '../../../lib/ldif';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const one = (text: string, options?: LdifReaderOptions): LdifRecord => {
  const records = parseLdif(text, options);
  expect(records).to.have.length(1);
  return records[0]!;
};

/** The error parseLdif throws for `text`, which must be an LdifError of `type` at line:column. */
const failure = <E extends LdifError>(text: string | Buffer, type: new (...args: never[]) => E, line: number, column: number, options?: LdifReaderOptions): E => {
  let caught: unknown;
  try {
    parseLdif(text, options);
  } catch (error) {
    caught = error;
  }
  expect(caught, 'parseLdif threw').to.be.instanceOf(type);
  const error = caught as E;
  expect(error).to.be.instanceOf(RxLdapError);
  expect({ line: error.line, column: error.column }, error.message).to.deep.equal({ line, column });
  expect(error.message).to.contain(`line ${line}, column ${column}`);
  return error;
};

describe('LDIF reader (RFC 2849)', () => {
  describe('content records', () => {
    it('reads dn and attribute lines, merging repeated descriptions (any case) into the first', () => {
      expect(one('dn: cn=a,dc=x\ncn: a\nobjectClass: top\nsn: s\nobjectclass: person\n')).to.deep.equal({
        type: 'content',
        dn: 'cn=a,dc=x',
        attributes: [
          { type: 'cn', vals: [b('a')] },
          { type: 'objectClass', vals: [b('top'), b('person')] },
          { type: 'sn', vals: [b('s')] },
        ],
        line: 1,
      });
    });

    it('reads records separated by one or more blank lines, CRLF or LF, with or without a final newline', () => {
      const records = parseLdif('\n\ndn: a=1\r\nx: 1\r\n\r\n\r\ndn: a=2\nx: 2\n\n\ndn: a=3\nx: 3');
      expect(records.map((r) => [r.dn, r.line])).to.deep.equal([['a=1', 3], ['a=2', 7], ['a=3', 11]]);
      expect((records[0] as { attributes: unknown }).attributes).to.deep.equal([{ type: 'x', vals: [b('1')] }]);
    });

    it('takes spaces after the colon as FILL and keeps spaces inside and at the end of a value', () => {
      expect(one('dn:    a=1\ncn:   two  words  \n')).to.deep.include({ dn: 'a=1', attributes: [{ type: 'cn', vals: [b('two  words  ')] }] });
    });

    it('reads an empty value, with or without a space', () => {
      expect(one('dn: a=1\nx:\ny: \n')).to.deep.include({ attributes: [{ type: 'x', vals: [b('')] }, { type: 'y', vals: [b('')] }] });
    });

    it('unfolds continuation lines (one leading space dropped), in values, names, base64 and the dn', () => {
      const record = one('dn: cn=lo\n ng,dc=x\ndescrip\n tion: a\n  b\n c\ncn:: SGVs\n bG8=\n');
      expect(record).to.deep.include({ dn: 'cn=long,dc=x', attributes: [{ type: 'description', vals: [b('a bc')] }, { type: 'cn', vals: [b('Hello')] }] });
    });

    it('decodes base64 values (::) to bytes, binary included, and a base64 dn as UTF-8', () => {
      const bytes = Buffer.from([0, 1, 0xff, 0xfe, 0x0a, 0x0d, 0x80]);
      const record = one(`dn:: ${Buffer.from('cn=José,dc=x').toString('base64')}\njpegPhoto::   ${bytes.toString('base64')}  \n`);
      expect(record).to.deep.include({ dn: 'cn=José,dc=x', attributes: [{ type: 'jpegPhoto', vals: [bytes] }] });
    });

    it('keeps attribute options and numeric OIDs as attribute descriptions', () => {
      expect(one('dn: a=1\ncn;lang-en;x-1: a\n2.5.4.3: b\n')).to.deep.include({
        attributes: [{ type: 'cn;lang-en;x-1', vals: [b('a')] }, { type: '2.5.4.3', vals: [b('b')] }],
      });
    });

    it('reads UTF-8 (and other non-ASCII bytes) in plain values as given, as OpenLDAP does', () => {
      expect(one('dn: cn=Müller\ncn: Müller\n')).to.deep.include({ dn: 'cn=Müller', attributes: [{ type: 'cn', vals: [Buffer.from('Müller')] }] });
    });

    it('reads a dn with no attributes (ldapsearch prints them for attributes 1.1)', () => {
      expect(parseLdif('dn: a=1\n\ndn: a=2\n')).to.deep.equal([
        { type: 'content', dn: 'a=1', attributes: [], line: 1 },
        { type: 'content', dn: 'a=2', attributes: [], line: 3 },
      ]);
    });

    it('skips comments, folded ones too, anywhere, and blocks of nothing but comments', () => {
      const records = parseLdif('# header\n# more\n\n# before\ndn: a=1\n# inside\n folded inside\ncn: x\n# last\n\n# trailing\n');
      expect(records).to.deep.equal([{ type: 'content', dn: 'a=1', attributes: [{ type: 'cn', vals: [b('x')] }], line: 5 }]);
    });

    it('accepts version: 1 first, on its own or before the first dn, after comments', () => {
      expect(parseLdif('version: 1\n\ndn: a=1\nx: y\n')).to.have.length(1);
      expect(parseLdif('version: 1\ndn: a=1\nx: y\n')).to.have.length(1);
      expect(parseLdif('# made by hand\n\nversion:   1\ndn: a=1\nx: y\n')).to.have.length(1);
      expect(parseLdif('version: 1\n')).to.deep.equal([]);
    });

    it('reads keywords in any case (ABNF literals are case-insensitive)', () => {
      expect(one('DN: a=1\nChangeType: Delete\n')).to.deep.equal({ type: 'delete', dn: 'a=1', controls: [], line: 1 });
    });
  });

  describe('change records', () => {
    it('add', () => {
      expect(one('dn: a=1\nchangetype: add\nobjectClass: top\ncn: x\n')).to.deep.equal({
        type: 'add', dn: 'a=1', controls: [], attributes: [{ type: 'objectClass', vals: [b('top')] }, { type: 'cn', vals: [b('x')] }], line: 1,
      });
    });

    it('delete, with controls: criticality and plain, base64 or no value', () => {
      expect(one('dn: a=1\ncontrol: 1.2.840.113556.1.4.805 true\ncontrol: 1.2.3 false: text\ncontrol: 1.2.4:: AAE=\ncontrol: 1.2.5\nchangetype: delete\n')).to.deep.equal({
        type: 'delete',
        dn: 'a=1',
        controls: [
          { type: 'raw', oid: '1.2.840.113556.1.4.805', criticality: true },
          { type: 'raw', oid: '1.2.3', criticality: false, value: b('text') },
          { type: 'raw', oid: '1.2.4', criticality: false, value: Buffer.from([0, 1]) },
          { type: 'raw', oid: '1.2.5', criticality: false },
        ],
        line: 1,
      });
    });

    it('modify with add, delete (all values or some), replace (to nothing too) and increment', () => {
      const record = one('dn: a=1\nchangetype: modify\nadd: mail\nmail: a@x\nmail: b@x\n-\ndelete: sn\n-\ndelete: cn\ncn: old\n-\nreplace: l\n-\nincrement: uidNumber\nuidNumber: 5\n-\n');
      expect(record).to.deep.equal({
        type: 'modify',
        dn: 'a=1',
        controls: [],
        changes: [
          { operation: 'add', attribute: 'mail', values: [b('a@x'), b('b@x')] },
          { operation: 'delete', attribute: 'sn', values: [] },
          { operation: 'delete', attribute: 'cn', values: [b('old')] },
          { operation: 'replace', attribute: 'l', values: [] },
          { operation: 'increment', attribute: 'uidNumber', values: [b('5')] },
        ],
        line: 1,
      });
    });

    it('modify: the last "-" may be left out, and a modify may change nothing', () => {
      expect(one('dn: a=1\nchangetype: modify\nreplace: cn\ncn: x\n')).to.deep.include({ changes: [{ operation: 'replace', attribute: 'cn', values: [b('x')] }] });
      expect(one('dn: a=1\nchangetype: modify\n')).to.deep.include({ changes: [] });
    });

    it('modrdn and moddn, with and without newsuperior, plain or base64', () => {
      expect(one('dn: cn=a,dc=x\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: 0\n')).to.deep.equal({
        type: 'modrdn', dn: 'cn=a,dc=x', controls: [], newRdn: 'cn=b', deleteOldRdn: false, line: 1,
      });
      expect(one(`dn: cn=a,dc=x\nchangetype: moddn\nnewrdn:: ${Buffer.from('cn=Zoë').toString('base64')}\ndeleteoldrdn: 1\nnewsuperior: dc=y\n`)).to.deep.equal({
        type: 'modrdn', dn: 'cn=a,dc=x', controls: [], newRdn: 'cn=Zoë', deleteOldRdn: true, newSuperior: 'dc=y', line: 1,
      });
    });
  });

  describe('URL values (:<)', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxldap-ldif-'));
      writeFileSync(join(dir, 'photo.bin'), Buffer.from([1, 2, 3, 0]));
      writeFileSync(join(dir, 'big.bin'), Buffer.alloc(2000));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses every URL by default, naming where it stands', () => {
      failure(`dn: a=1\njpegPhoto:< ${pathToFileURL(join(dir, 'photo.bin')).href}\n`, LdifUrlError, 2, 13);
    });

    it('reads file: URLs when allowed', () => {
      expect(one(`dn: a=1\njpegPhoto:< ${pathToFileURL(join(dir, 'photo.bin')).href}\n`, { allowFileUrls: true })).to.deep.include({
        attributes: [{ type: 'jpegPhoto', vals: [Buffer.from([1, 2, 3, 0])] }],
      });
    });

    it('refuses other schemes, missing files and files over maxRecordBytes even when allowed', () => {
      failure('dn: a=1\njpegPhoto:< http://example.com/x\n', LdifUrlError, 2, 13, { allowFileUrls: true });
      const missing = failure(`dn: a=1\njpegPhoto:<${pathToFileURL(join(dir, 'none')).href}\n`, LdifUrlError, 2, 12, { allowFileUrls: true });
      expect(missing.message).to.contain('ENOENT').and.not.contain(dir);
      failure(`dn: a=1\njpegPhoto:< ${pathToFileURL(join(dir, 'big.bin')).href}\n`, LdifLimitError, 2, 13, { allowFileUrls: true, maxRecordBytes: 1000 });
    });

    it('never takes a URL for a dn, newrdn or newsuperior', () => {
      failure('dn:< file:///etc/hostname\n', LdifSyntaxError, 1, 4, { allowFileUrls: true });
    });
  });

  describe('errors name the line and column', () => {
    const cases: Array<[string, string | Buffer, number, number]> = [
      ['a record that does not begin with dn:', 'cn: x\n', 1, 1],
      ['version anywhere but first', 'dn: a=1\nx: y\n\nversion: 1\n', 4, 1],
      ['a version other than 1', 'version: 2\n', 1, 10],
      ['a line with no colon', 'dn: a=1\ncn x\n', 2, 3],
      ['a name that is no attribute description', 'dn: a=1\nc_n: x\n', 2, 2],
      ['an option with nothing in it', 'dn: a=1\ncn;: x\n', 2, 3],
      ['a numeric OID with an empty arc', 'dn: a=1\n2..5: x\n', 2, 2],
      ['a line that starts with a colon', 'dn: a=1\n: x\n', 2, 1],
      ['a continuation with nothing before it', ' dn: a=1\n', 1, 1],
      ['a non-base64 character', 'dn: a=1\ncn:: QU*=\n', 2, 8],
      ['base64 cut short (the column just past its end)', 'dn: a=1\ncn:: QUJD\n RA\n', 3, 4],
      ['base64 after padding', 'dn: a=1\ncn:: QQ==QUJD\n', 2, 10],
      ['NUL in a plain value', b('dn: a=1\ncn: a\u0000b\n'), 2, 6],
      ['a CR not followed by LF', b('dn: a=1\ncn: a\rb\n'), 2, 6],
      ['a CR not followed by LF, in a folded line', b('dn: a=1\ncn: abc\n d\re\n'), 3, 3],
      ['a dn that is not UTF-8', b('dn: cn=\u00ff\n'), 1, 4],
      ['a base64 dn that is not UTF-8', `dn:: ${Buffer.from([0x63, 0x6e, 0x3d, 0xff]).toString('base64')}\n`, 1, 4],
      ['control: lines in a content record', 'dn: a=1\ncontrol: 1.2.3\ncn: x\n', 3, 1],
      ['a control with no OID', 'dn: a=1\ncontrol: true\nchangetype: delete\n', 2, 10],
      ['a control with a bad criticality', 'dn: a=1\ncontrol: 1.2.3 maybe\nchangetype: delete\n', 2, 16],
      ['a record that ends after control:', 'dn: a=1\ncontrol: 1.2.3\n', 2, 15],
      ['an unknown changetype', 'dn: a=1\nchangetype: rename\n', 2, 13],
      ['an add with no attributes', 'dn: a=1\nchangetype: add\n', 2, 16],
      ['anything after changetype: delete', 'dn: a=1\nchangetype: delete\ncn: x\n', 3, 1],
      ['an unknown modify operation', 'dn: a=1\nchangetype: modify\nmerge: cn\n', 3, 1],
      ['a modify operation with no attribute', 'dn: a=1\nchangetype: modify\nadd: \n-\n', 3, 6],
      ['a value line for another attribute', 'dn: a=1\nchangetype: modify\nadd: cn\nsn: x\n-\n', 4, 1],
      ['a "-" with no operation before it', 'dn: a=1\nchangetype: modify\n-\n', 3, 1],
      ['a "-" in a content record', 'dn: a=1\ncn: x\n-\n', 3, 1],
      ['modrdn without newrdn', 'dn: a=1\nchangetype: modrdn\ndeleteoldrdn: 1\n', 3, 1],
      ['modrdn that ends before deleteoldrdn', 'dn: a=1\nchangetype: modrdn\nnewrdn: a=2\n', 3, 12],
      ['deleteoldrdn other than 0 or 1', 'dn: a=1\nchangetype: modrdn\nnewrdn: a=2\ndeleteoldrdn: yes\n', 4, 15],
      ['something after newsuperior', 'dn: a=1\nchangetype: modrdn\nnewrdn: a=2\ndeleteoldrdn: 1\nnewsuperior: dc=x\ncn: y\n', 6, 1],
      ['something other than newsuperior after deleteoldrdn', 'dn: a=1\nchangetype: modrdn\nnewrdn: a=2\ndeleteoldrdn: 1\ncn: y\n', 5, 1],
      ['an error in a later record', 'dn: a=1\nx: y\n\n# two\ndn: a=2\nx:: !\n', 6, 5],
    ];
    for (const [what, text, line, column] of cases) {
      it(`${what}: LdifSyntaxError at ${line}:${column}`, () => {
        failure(text, LdifSyntaxError, line, column);
      });
    }

    it('never quotes the input (a value may be a password)', () => {
      const error = failure('dn: cn=admin\nuserPassword:: c2VjcmV0*\n', LdifSyntaxError, 2, 24);
      expect(error.message).to.not.contain('c2VjcmV0').and.not.contain('admin');
      const nul = failure(b('dn: a=1\nuserPassword: hunter2\u0000\n'), LdifSyntaxError, 2, 22);
      expect(nul.message).to.not.contain('hunter2');
    });

    it('a record over maxRecordBytes fails with LdifLimitError at its first line', () => {
      const error = failure(`dn: a=1\nx: y\n\ndn: a=2\ndescription: ${'x'.repeat(200)}\n`, LdifLimitError, 4, 1, { maxRecordBytes: 100 });
      expect(error.limit).to.equal(100);
      expect(() => parseLdif('dn: a=1\n', { maxRecordBytes: 0 })).to.throw(RangeError);
    });
  });
});

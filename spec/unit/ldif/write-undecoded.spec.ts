/**
 * ldifStream's own searches take their entries undecoded (UndecodedEntry) and write them as
 * LDIF straight from the BER. What must hold: the bytes are exactly those of the decoded entry
 * through formatLdifRecord, for every format; an entry of another shape is decoded as before;
 * a malformed one is refused with the same error as without the option; and anyone else who
 * looks at such an op sees it decoded.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import sinon from 'sinon';
import { ProtocolError } from '../../../lib/errors';
import { formatLdifRecord, LDAPSEARCH_LDIF } from '../../../lib/ldif';
import type { LdifWriterOptions } from '../../../lib/ldif';
import { LdifRecordBytes } from '../../../lib/ldif/writer';
import { decodeMessageAt } from '../../../lib/protocol/decode';
import { encodeMessage } from '../../../lib/protocol/encode';
import type { PartialAttribute, SearchResultEntry } from '../../../lib/protocol/types';
import { UndecodedEntry } from '../../../lib/protocol/undecoded-entry';
import { responseSummary } from '../../../lib/client/log-summaries';
import { Client } from '../../../lib';
import { ldifStream } from '../../../lib/search';
import { startDirectory } from '../../../lib/server';

const pdu = (objectName: string, attributes: PartialAttribute[], messageId = 7): Buffer =>
  encodeMessage({ messageId, protocolOp: { type: 'searchResEntry', objectName, attributes } });

const decode = (bytes: Buffer, undecoded = true): SearchResultEntry => {
  const op = decodeMessageAt(bytes, 0, bytes.length, undefined, undecoded ? () => true : undefined).protocolOp;
  if (op.type !== 'searchResEntry') throw new Error(`expected searchResEntry, got ${op.type}`);
  return op;
};

/** The LDIF of an undecoded entry, through the same writer ldifStream uses. */
const undecodedLdif = (entry: UndecodedEntry, options: LdifWriterOptions): string => {
  const out = new LdifRecordBytes(options);
  out.addUndecoded(entry);
  out.addUndecoded(entry); // a second time: through the writer's remembered names
  return Buffer.concat(out.takeAll()).toString('latin1');
};

const decodedLdif = (op: SearchResultEntry, options: LdifWriterOptions): string => {
  const once = `${formatLdifRecord({ type: 'entry', dn: op.objectName, attributes: op.attributes }, options)}\n`;
  return once + once;
};

const FORMATS: ReadonlyArray<[string, LdifWriterOptions]> = [
  ['RFC 2849 (default)', {}],
  ['LDAPSEARCH_LDIF', LDAPSEARCH_LDIF],
  ['folded at 10', { wrap: 10 }],
  ['never folded', { wrap: 0 }],
  ['printable, userPassword always base64, folded at 20', { base64: 'printable', alwaysBase64: ['userPassword'], wrap: 20 }],
];

/** Values short enough for the usual shape (under 128 bytes), from bytes that test every rule. */
const byteValue = fc.uint8Array({ maxLength: 127 }).map((bytes) => Buffer.from(bytes));
const textValue = fc.string({ maxLength: 100 }).map((text) => Buffer.from(text, 'utf8')).filter((value) => value.length < 128);
const special = fc.constantFrom(...[' lead', 'trail ', ':colon', '<less', 'a\tb', 'del\u007f', 'nul\u0000', 'new\nline', 'Jos\u00e9', '', 'x'].map((text) => Buffer.from(text, 'utf8')));
const attributeName = fc.constantFrom('cn', 'sn', 'userPassword', 'description', 'jpegPhoto;binary', 'objectClass', '2.5.4.3', 'x-Custom-Attr;lang-en');
const attributes = fc.array(fc.record({ type: attributeName, vals: fc.array(fc.oneof(byteValue, textValue, special), { maxLength: 4 }) }), { maxLength: 8 });
const dn = fc.oneof(fc.constantFrom('', 'cn=José,dc=example', ' cn=lead', 'uid=user000001,ou=people,dc=example,dc=com'), fc.string({ maxLength: 90 }));

describe('LDIF of undecoded entries (ldifStream\'s own searches)', () => {
  for (const [name, options] of FORMATS) {
    it(`writes exactly the bytes of the decoded entry: ${name}`, () => {
      fc.assert(
        fc.property(dn, attributes, (objectName, list) => {
          const op = decode(pdu(objectName, list));
          expect(op).to.be.instanceOf(UndecodedEntry);
          expect(undecodedLdif(op as UndecodedEntry, options)).to.equal(decodedLdif(decode(pdu(objectName, list), false), options));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('refuses a name that is not an attribute description, as the decoded writer does, and writes nothing of the entry', () => {
    const op = decode(pdu('cn=x', [{ type: 'cn', vals: [Buffer.from('ok')] }, { type: 'bad name', vals: [Buffer.from('v')] }]));
    const out = new LdifRecordBytes({});
    expect(() => out.addUndecoded(op as UndecodedEntry)).to.throw(/not an attribute description/);
    expect(out.takeAll()).to.deep.equal([]);
  });

  it('leaves an entry of another shape (a value of 128 bytes or more) decoded, as before', () => {
    const list = [{ type: 'cn', vals: [Buffer.from('short')] }, { type: 'jpegPhoto', vals: [Buffer.alloc(300, 0xff)] }];
    const op = decode(pdu('cn=x', list));
    expect(op).not.to.be.instanceOf(UndecodedEntry);
    expect(op.attributes).to.deep.equal(list);
  });

  it('refuses a malformed attribute list with the same error as without the option', () => {
    const good = pdu('cn=x', [{ type: 'cn', vals: [Buffer.from('abc')] }]);
    // Each cut or corruption keeps the PDU's own length right, so only the inside is wrong.
    const broken: Buffer[] = [];
    for (let at = 14; at < good.length; at++) {
      for (const octet of [0x00, 0x04, 0x30, 0x31, 0x7f, 0x81, 0xff]) {
        const copy = Buffer.from(good);
        copy[at] = octet;
        broken.push(copy);
      }
    }
    let refused = 0;
    for (const bytes of broken) {
      let plain: unknown;
      let undecoded: unknown;
      try {
        decode(bytes, false);
      } catch (error) {
        plain = error;
      }
      try {
        const op = decode(bytes, true);
        // Accepted: it must read as the plain decoder reads it.
        if (plain === undefined) expect(op.attributes).to.deep.equal(decode(bytes, false).attributes);
      } catch (error) {
        undecoded = error;
      }
      expect(undecoded === undefined, `accepted by one decoder only: ${bytes.toString('hex')}`).to.equal(plain === undefined);
      if (plain !== undefined) {
        refused++;
        expect(undecoded).to.be.instanceOf(ProtocolError);
        expect((undecoded as Error).message).to.equal((plain as Error).message);
      }
    }
    expect(refused).to.be.greaterThan(20);
  });

  it('looks decoded to anyone else: attributes, JSON and util.inspect', () => {
    const list = [{ type: 'cn', vals: [Buffer.from('Babs')] }, { type: 'mail', vals: [Buffer.from('a@x'), Buffer.from('b@x')] }];
    const op = decode(pdu('cn=Babs,dc=x', list));
    expect(op).to.be.instanceOf(UndecodedEntry);
    expect(op.attributes).to.deep.equal(list);
    expect(JSON.parse(JSON.stringify(op))).to.deep.equal(JSON.parse(JSON.stringify({ type: 'searchResEntry', objectName: 'cn=Babs,dc=x', attributes: list })));
    expect(inspect(op)).to.equal(inspect({ type: 'searchResEntry', objectName: 'cn=Babs,dc=x', attributes: list }));
  });

  it('a log line names its attributes without decoding the entry (responseSummary)', () => {
    const list = [{ type: 'cn', vals: [Buffer.from('Babs')] }, { type: 'userPassword', vals: [Buffer.from('secret')] }, { type: 'jpegPhoto;binary', vals: [] }];
    const bytes = pdu('cn=Babs,dc=x', list);
    const message = decodeMessageAt(bytes, 0, bytes.length, undefined, () => true);
    expect(message.protocolOp).to.be.instanceOf(UndecodedEntry);
    const decoding = sinon.spy(UndecodedEntry.prototype, 'attributes', ['get']);
    try {
      const fields = responseSummary(message);
      expect(fields['attributes']).to.deep.equal(['cn', 'userPassword', 'jpegPhoto;binary']);
      expect(JSON.stringify(fields)).not.to.include('secret');
      expect(decoding.get.callCount).to.equal(0);
    } finally {
      sinon.restore();
    }
    // Once decoded (someone read `attributes`), the names come from the decoded list: the same.
    expect((message.protocolOp as UndecodedEntry).attributes).to.deep.equal(list);
    expect((message.protocolOp as UndecodedEntry).attributeTypes()).to.deep.equal(['cn', 'userPassword', 'jpegPhoto;binary']);
  });

  describe('through a search', () => {
    let server: Awaited<ReturnType<typeof startDirectory>>;
    let client: Client;
    const ldif = ['dn: dc=example,dc=com', 'objectClass: domain', 'dc: example', '', ...Array.from({ length: 50 }, (_, i) => [`dn: cn=p${i},dc=example,dc=com`, 'objectClass: person', `cn: p${i}`, `sn: Surname ${i}`, i % 10 === 0 ? `description: ${'long '.repeat(40)}end` : `description: short ${i}`, '']).flat()].join('\n');

    before(async () => {
      server = await startDirectory({ ldif, rootDN: 'cn=admin,dc=example,dc=com', rootPassword: 'secret' });
      client = new Client({ url: server.url });
    });
    after(async () => {
      await client?.unbind().catch(() => undefined);
      await server?.close();
    });
    afterEach(() => sinon.restore());

    const read = async (stream: NodeJS.ReadableStream): Promise<string> => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('latin1');
    };

    it('ldifStream takes the usual entries undecoded and the others decoded, and writes what the decoded entries give', async () => {
      const undecoded = sinon.spy(LdifRecordBytes.prototype, 'addUndecoded');
      const decoded = sinon.spy(LdifRecordBytes.prototype, 'add');
      const ours = await read(ldifStream(client.search('dc=example,dc=com', { scope: 'sub' }), LDAPSEARCH_LDIF));
      expect(undecoded.callCount).to.equal(46); // the base and 45 people; the 5 with a 203-byte value are decoded
      expect(decoded.callCount).to.equal(5);
      const entries = await client.search('dc=example,dc=com', { scope: 'sub' });
      expect(ours).to.equal(entries.map((entry) => `${formatLdifRecord(entry, LDAPSEARCH_LDIF)}\n`).join(''));
    });

    it('a paged search under ldifStream takes its entries undecoded too, page after page, and writes the same bytes', async () => {
      const expected = (await client.search('dc=example,dc=com', { scope: 'sub' })).map((entry) => `${formatLdifRecord(entry, LDAPSEARCH_LDIF)}\n`).join('');
      const undecoded = sinon.spy(LdifRecordBytes.prototype, 'addUndecoded');
      const ours = await read(ldifStream(client.pagedSearch('dc=example,dc=com', { scope: 'sub', pageSize: 7 }), LDAPSEARCH_LDIF));
      expect(undecoded.callCount).to.equal(46);
      expect(ours).to.equal(expected);
    });

    it('pages() of a paged search still gives SearchEntry objects in its pages', async () => {
      for await (const page of client.pagedSearch('dc=example,dc=com', { scope: 'sub', pageSize: 7 }).pages()) {
        for (const entry of page.entries) expect(entry.attributes.length).to.be.greaterThan(0);
      }
    });

    it('a search iterated or awaited by anyone else still gives SearchEntry objects', async () => {
      const entries = await client.search('dc=example,dc=com', { scope: 'sub' });
      expect(entries).to.have.length(51);
      for await (const entry of client.search('dc=example,dc=com', { scope: 'sub' })) expect(entry.attributes.length).to.be.greaterThan(0);
    });
  });
});

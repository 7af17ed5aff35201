/**
 * Review of ldifStream's undecoded entries (issue 13): a scripted server sends entries of odd
 * but valid BER (no attributes, empty value sets, 127-byte values and types, 0x81 / 0x82 length
 * forms, names that move, duplicates, controls), split across socket chunks or not, and
 * malformed ones. The LDIF must be byte for byte what the decoded entries give through
 * formatLdifRecord; a bad entry must fail the stream with a typed error, not hang.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { Client, ConnectionPool, LdifRecordError, ProtocolError, SearchEntry, ldifStream } from '../../support/all-of-lib';
import type { LdapMessage } from '../../support/all-of-lib';
import { formatLdifRecord, LDAPSEARCH_LDIF } from '../../../lib/ldif';
import type { LdifWriterOptions } from '../../../lib/ldif';
import { LdifRecordBytes } from '../../../lib/ldif/writer';
import { encodeMessage } from '../../../lib/protocol/encode';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';

type Form = 's' | '81' | '82';
const lengthOctets = (n: number, form: Form): number[] => {
  if (form === '81') return [0x81, n];
  if (form === '82') return [0x82, n >> 8, n & 0xff];
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
};
const tlv = (tag: number, content: Buffer, form: Form = 's'): Buffer => Buffer.concat([Buffer.from([tag, ...lengthOctets(content.length, form)]), content]);
const octets = (value: string | Buffer, form: Form = 's'): Buffer => tlv(0x04, typeof value === 'string' ? Buffer.from(value, 'utf8') : value, form);

interface RawAttribute {
  type: string;
  vals: Array<string | Buffer>;
  seq?: Form;
  set?: Form;
}
/** The BER of an attribute list, each header in the form asked for. */
const list = (attributes: RawAttribute[], form: Form = 's'): Buffer =>
  tlv(0x30, Buffer.concat(attributes.map((a) => tlv(0x30, Buffer.concat([octets(a.type), tlv(0x31, Buffer.concat(a.vals.map((v) => octets(v))), a.set)]), a.seq))), form);
/** A searchResEntry PDU around `attributeList` (raw bytes), with optional raw controls. */
const entryPdu = (messageId: number, dn: string, attributeList: Buffer, controls?: Buffer): Buffer =>
  tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, messageId]), tlv(0x64, Buffer.concat([octets(dn), attributeList])), ...(controls === undefined ? [] : [controls])]));
const done = (messageId: number): Buffer => encodeMessage({ messageId, protocolOp: { type: 'searchResDone', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms))]);

const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
};

/** A server that answers every search with `entries(messageId)` then success; `split` sends them a byte at a time. */
const scripted = (entries: (messageId: number) => Buffer[], split = false): Promise<FakeServer> =>
  startFakeServer((request: LdapMessage, session: FakeSession) => {
    if (request.protocolOp.type === 'bindRequest') {
      return session.send({ messageId: request.messageId, protocolOp: { type: 'bindResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } });
    }
    if (request.protocolOp.type !== 'searchRequest') return;
    const bytes = Buffer.concat([...entries(request.messageId), done(request.messageId)]);
    if (!split) return session.sendRaw(bytes);
    void (async () => {
      for (let at = 0; at < bytes.length; at += 7) {
        session.sendRaw(bytes.subarray(at, at + 7));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })();
  });

const A127 = 'a'.repeat(126) + 'Z';
const ODD = (id: number): Buffer[] => [
  entryPdu(id, 'cn=none', list([])),
  entryPdu(id, 'cn=emptyset', list([{ type: 'cn', vals: [] }, { type: 'sn', vals: ['x'] }])),
  entryPdu(id, 'cn=v127', list([{ type: 'description', vals: ['d'.repeat(127), Buffer.alloc(127, 0xfe), ''] }])),
  entryPdu(id, 'cn=t127', list([{ type: A127, vals: ['v'] }, { type: 'cn', vals: ['t127'] }])),
  entryPdu(id, 'cn=long81', list([{ type: 'cn', vals: ['a', 'b'], seq: '81', set: '81' }], '81')),
  entryPdu(id, 'cn=long82', list([{ type: 'cn', vals: ['a'], seq: '82', set: '82' }, { type: 'sn', vals: ['s'] }], '82')),
  entryPdu(id, 'cn=moved', list([{ type: 'sn', vals: ['s'] }, { type: 'cn', vals: ['c'] }, { type: 'CN', vals: ['C'] }])),
  entryPdu(id, 'cn=dup', list([{ type: 'cn', vals: ['1'] }, { type: 'cn', vals: ['2'] }, { type: 'cn', vals: [':3', ' 4', '<5'] }])),
  entryPdu(id, 'cn=unusual', list([{ type: 'cn', vals: ['u'] }, { type: 'jpegPhoto', vals: [Buffer.alloc(300, 1)] }])),
  entryPdu(id, 'cn=after', list([{ type: 'cn', vals: ['after'] }, { type: 'jpegPhoto;binary', vals: [Buffer.from('bin')] }])),
  // With a control (the ManageDsaIT OID, no value): the writer writes no entry controls either way.
  entryPdu(id, 'cn=ctl', list([{ type: 'userPassword', vals: ['secret'] }]), tlv(0xa0, tlv(0x30, octets('2.16.840.1.113730.3.4.2')))),
  entryPdu(id, 'cn=Jos\u00e9,dc=x', list([{ type: 'cn', vals: ['Jos\u00e9', 'tab\there', 'x'.repeat(100)] }])),
];

const FORMATS: ReadonlyArray<[string, LdifWriterOptions]> = [
  ['default', {}],
  ['LDAPSEARCH_LDIF', LDAPSEARCH_LDIF],
  ['wrap 10, printable, userPassword base64', { wrap: 10, base64: 'printable', alwaysBase64: ['userPassword'] }],
];

describe('ldifStream undecoded entries against a scripted server (review)', () => {
  let server: FakeServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    sinon.restore();
    client?.destroy();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  const decodedLdif = async (c: Client, options: LdifWriterOptions): Promise<string> =>
    (await c.search('dc=x', { scope: 'sub' })).map((entry) => `${formatLdifRecord(entry, options)}\n`).join('');

  for (const split of [false, true]) {
    for (const [name, options] of FORMATS) {
      it(`odd but valid entries${split ? ', sent 7 bytes at a time' : ''}: the bytes of the decoded entries (${name})`, async () => {
        server = await scripted(ODD, split);
        client = new Client({ url: server.url });
        const undecoded = sinon.spy(LdifRecordBytes.prototype, 'addUndecoded');
        const ours = await within(readAll(ldifStream(client.search('dc=x', { scope: 'sub' }), options)), 10_000, 'ldifStream');
        expect(undecoded.callCount).to.equal(ODD(1).length - 1); // all but cn=unusual
        expect(ours).to.equal(await decodedLdif(client, options));
      });
    }
  }

  it('an attribute name that is not valid LDIF fails the stream with LdifRecordError, after the entries before it', async () => {
    server = await scripted((id) => [entryPdu(id, 'cn=a', list([{ type: 'cn', vals: ['a'] }])), entryPdu(id, 'cn=b', list([{ type: 'cn', vals: ['b'] }, { type: 'bad name', vals: ['v'] }])), entryPdu(id, 'cn=c', list([{ type: 'cn', vals: ['c'] }]))]);
    client = new Client({ url: server.url });
    const stream = ldifStream(client.search('dc=x', { scope: 'sub' }));
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const error = await within(new Promise<unknown>((resolve) => stream.on('error', resolve)), 10_000, 'the stream error');
    expect(error).to.be.instanceOf(LdifRecordError);
    expect(Buffer.concat(chunks).toString('latin1')).to.equal('dn: cn=a\ncn: a\n\n'.slice(0, Buffer.concat(chunks).length));
  });

  const malformed: Array<[string, (id: number) => Buffer]> = [
    ['a value longer than its set', (id) => entryPdu(id, 'cn=m', tlv(0x30, tlv(0x30, Buffer.concat([octets('cn'), Buffer.from([0x31, 0x03, 0x04, 0x05, 0x61])]))))],
    ['a set longer than its attribute', (id) => entryPdu(id, 'cn=m', tlv(0x30, tlv(0x30, Buffer.concat([octets('cn'), Buffer.from([0x31, 0x09, 0x04, 0x01, 0x61])]))))],
    ['an attribute longer than its list', (id) => entryPdu(id, 'cn=m', tlv(0x30, Buffer.from([0x30, 0x20, 0x04, 0x02, 0x63, 0x6e, 0x31, 0x00])))],
    ['a value of tag 0x05', (id) => entryPdu(id, 'cn=m', tlv(0x30, tlv(0x30, Buffer.concat([octets('cn'), tlv(0x31, Buffer.from([0x05, 0x00]))]))))],
    ['a type of tag 0x0c', (id) => entryPdu(id, 'cn=m', tlv(0x30, tlv(0x30, Buffer.concat([tlv(0x0c, Buffer.from('cn')), tlv(0x31, octets('v'))]))))],
  ];
  for (const [what, pdu] of malformed) {
    it(`malformed inside an entry (${what}): the stream fails with ProtocolError, as the decoded search does`, async () => {
      server = await scripted((id) => [entryPdu(id, 'cn=ok', list([{ type: 'cn', vals: ['ok'] }])), pdu(id)]);
      client = new Client({ url: server.url });
      const plain = await within(client.search('dc=x').then(() => undefined, (error: unknown) => error), 10_000, 'the plain search');
      expect(plain).to.be.instanceOf(ProtocolError);
      client.destroy();
      client = new Client({ url: server.url });
      const error = await within(readAll(ldifStream(client.search('dc=x'))).then(() => undefined, (e: unknown) => e), 10_000, 'ldifStream');
      expect(error).to.be.instanceOf(ProtocolError);
      expect((error as Error).message).to.equal((plain as Error).message);
    });
  }

  it('pool.search and pagedSearch under ldifStream write the same bytes', async () => {
    server = await scripted(ODD);
    client = new Client({ url: server.url });
    const expected = await decodedLdif(client, LDAPSEARCH_LDIF);
    const pool = new ConnectionPool({ client: { url: server.url }, size: 1 });
    try {
      expect(await readAll(ldifStream(pool.search('dc=x', { scope: 'sub' }), LDAPSEARCH_LDIF))).to.equal(expected);
    } finally {
      await pool.drain();
    }
    // The scripted server sends no paged control back: one page, as a server without paging.
    expect(await readAll(ldifStream(client.pagedSearch('dc=x', { scope: 'sub', pageSize: 5 }), LDAPSEARCH_LDIF))).to.equal(expected);
  });

  it('the same Operation streamed by ldifStream and subscribed by someone else at once: the subscriber gets SearchEntry objects', async () => {
    server = await scripted(ODD);
    client = new Client({ url: server.url });
    const search = client.search('dc=x', { scope: 'sub' });
    const seen: unknown[] = [];
    const subscribed = new Promise<void>((resolve, reject) => search.subscribe({ next: (entry) => seen.push(entry), error: reject, complete: resolve }));
    const iterated: unknown[] = [];
    const [ldif] = await within(Promise.all([readAll(ldifStream(search, LDAPSEARCH_LDIF)), subscribed, (async () => { for await (const entry of search) iterated.push(entry); })()]), 10_000, 'three consumers');
    expect(seen).to.have.length(ODD(1).length);
    expect(iterated).to.have.length(ODD(1).length);
    for (const entry of [...seen, ...iterated]) expect(entry).to.be.instanceOf(SearchEntry);
    expect(ldif).to.equal(await decodedLdif(client, LDAPSEARCH_LDIF));
  });

  it('a stream destroyed midway abandons its search and leaves the client working', async () => {
    server = await scripted((id) => Array.from({ length: 3000 }, (_, i) => entryPdu(id, `cn=e${i}`, list([{ type: 'cn', vals: [`e${i}`] }, { type: 'description', vals: ['z'.repeat(120)] }]))));
    client = new Client({ url: server.url });
    const stream = ldifStream(client.search('dc=x', { scope: 'sub' }));
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    const entries = await within(client.search('dc=x', { scope: 'sub' }).then((all) => all), 10_000, 'the next search');
    expect(entries).to.have.length(3000);
  });
});

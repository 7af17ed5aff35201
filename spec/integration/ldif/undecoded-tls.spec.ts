/**
 * Review of issue 13: an UndecodedEntry points into the socket chunk (or the assembled PDU) it
 * came in. Over ldaps and after StartTLS, with a consumer that takes its time while the socket
 * keeps reading (ldifStream's window of 100 entries), the LDIF must still be what the decoded
 * entries give: no chunk may be reused under an entry that waits.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { Client, ldifStream } from '../../support/all-of-lib';
import { formatLdifRecord, LDAPSEARCH_LDIF } from '../../../lib/ldif';
import { LdifRecordBytes } from '../../../lib/ldif/writer';
import { startDirectory } from '../../../lib/server';
import { createTestCertificates } from '../../support/slapd/tls';

const COUNT = 3000;
const ldif = [
  'dn: dc=example,dc=com', 'objectClass: domain', 'dc: example', '',
  ...Array.from({ length: COUNT }, (_, i) => [`dn: cn=p${i},dc=example,dc=com`, 'objectClass: person', `cn: p${i}`, `sn: ${'s'.repeat(1 + (i % 120))}`, `description: entry ${i} ${'d'.repeat((i * 7) % 100)}`, '']).flat(),
].join('\n');

describe('ldifStream undecoded entries over TLS with a slow consumer (review of issue 13)', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startDirectory>>;
  let ca: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxldap-undecoded-tls-'));
    const certificates = await createTestCertificates(join(dir, 'tls'));
    ca = readFileSync(certificates.caCertPath);
    server = await startDirectory({ ldif, rootDN: 'cn=admin,dc=example,dc=com', rootPassword: 'secret', tls: { key: readFileSync(certificates.keyPath), cert: readFileSync(certificates.certPath) } });
  });
  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => sinon.restore());

  /** Reads the stream, pausing now and then, so that entries wait in the window while the socket reads. */
  const readSlowly = async (stream: NodeJS.ReadableStream): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return Buffer.concat(chunks).toString('latin1');
  };

  for (const how of ['ldaps', 'StartTLS'] as const) {
    it(`over ${how}: the bytes of the decoded entries`, async () => {
      const client = new Client({ url: how === 'ldaps' ? (server.ldapsUrl as string) : server.url, tls: { ca } });
      try {
        if (how === 'StartTLS') await client.startTLS();
        const undecoded = sinon.spy(LdifRecordBytes.prototype, 'addUndecoded');
        const ours = await readSlowly(ldifStream(client.search('dc=example,dc=com', { scope: 'sub' }), LDAPSEARCH_LDIF));
        expect(client.isSecure).to.equal(true);
        expect(undecoded.callCount).to.equal(COUNT + 1);
        const entries = await client.search('dc=example,dc=com', { scope: 'sub' });
        expect(ours).to.equal(entries.map((entry) => `${formatLdifRecord(entry, LDAPSEARCH_LDIF)}\n`).join(''));
      } finally {
        await client.unbind().catch(() => undefined);
      }
    });
  }
});

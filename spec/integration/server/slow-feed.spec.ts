/**
 * The in-memory directory's live searches against a client that reads slower than the
 * directory changes: the changes waiting for it are bounded (maxPendingChanges), and past the
 * bound the search ends as RFC 4533 and 389-ds end it, instead of the server holding every change.
 */
import { expect } from 'chai';
import type { Duplex } from 'node:stream';
import { persistentSearchControl, ResultCode, syncRequestControl } from '../../../lib';
import type { Control } from '../../../lib/wire';
import { encodeMessage, MessageParser } from '../../../lib/wire';
import { startDirectory } from '../../../lib/server';
import type { DirectoryServer } from '../../../lib/server';
import { BASE_DN, generatePeople, PEOPLE_DN } from '../../support/data';

const ADMIN_DN = `cn=admin,${BASE_DN}`;
const PASSWORD = 'secret';
const PEOPLE = 20;
const CHANGES = 3_000;
const LIMIT = 100;

const turns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** Reads the socket again; resolves with the entries seen and the search's final result code, or undefined after a second of silence. */
const readAll = (socket: Duplex): Promise<{ entries: number; resultCode: number | undefined }> =>
  new Promise((resolve) => {
    const parser = new MessageParser();
    let entries = 0;
    let quiet = setTimeout(() => resolve({ entries, resultCode: undefined }), 1_000);
    socket.on('data', (chunk: Buffer) => {
      clearTimeout(quiet);
      quiet = setTimeout(() => resolve({ entries, resultCode: undefined }), 1_000);
      parser.feed(chunk, (message) => {
        if (message.protocolOp.type === 'searchResEntry') entries++;
        if (message.protocolOp.type === 'searchResDone' && message.messageId === 2) {
          clearTimeout(quiet);
          resolve({ entries, resultCode: message.protocolOp.resultCode });
        }
      });
    });
    socket.resume();
  });

describe('in-memory directory: a live search whose client reads slower than the directory changes', function () {
  this.timeout(30_000);
  let server: DirectoryServer;

  beforeEach(async () => {
    server = await startDirectory({ ldif: generatePeople(PEOPLE, { groupSize: 0 }), rootDN: ADMIN_DN, rootPassword: PASSWORD, port: false, maxPendingChanges: LIMIT });
  });
  afterEach(() => server.close());

  const cases: Array<{ name: string; control: Control; resultCode: number }> = [
    { name: 'persistent search: ends with adminLimitExceeded', control: persistentSearchControl({ changeTypes: ['modify'], changesOnly: true, returnECs: false }), resultCode: ResultCode.adminLimitExceeded },
    { name: 'syncrepl refreshAndPersist: ends with e-syncRefreshRequired (4096), so the consumer refreshes from its cookie', control: syncRequestControl({ mode: 'refreshAndPersist' }), resultCode: ResultCode.syncRefreshRequired },
  ];
  for (const { name, control, resultCode } of cases) {
    it(`${name}, having held at most maxPendingChanges changes`, async () => {
      const socket = await server.connect();
      socket.pause();
      socket.write(encodeMessage({ messageId: 1, protocolOp: { type: 'bindRequest', version: 3, name: ADMIN_DN, authentication: { type: 'simple', simple: Buffer.from(PASSWORD) } } }));
      socket.write(
        encodeMessage({
          messageId: 2,
          protocolOp: { type: 'searchRequest', baseObject: PEOPLE_DN, scope: 'singleLevel', derefAliases: 'neverDerefAliases', sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: { type: 'present', attribute: 'objectClass' }, attributes: ['description'] },
          controls: [control],
        }),
      );
      await turns(50);
      // Each change sends about 1 KB: the in-process buffers fill after a few dozen, and the
      // rest wait in the server, up to the limit.
      const people = [...server.directory.entries()].map((entry) => entry.dn).filter((dn) => dn.startsWith('uid='));
      expect(people).to.have.length(PEOPLE);
      for (let change = 0; change < CHANGES; change++) {
        server.directory.modify(people[change % PEOPLE] ?? '', [{ operation: 'replace', attribute: 'description', values: `${'x'.repeat(1_000)} ${change}` }]);
      }
      const read = await readAll(socket);
      expect(read.resultCode, 'the search ended, with this code').to.equal(resultCode);
      expect(read.entries, 'it sent what it held, not every change').to.be.lessThan(CHANGES);
      socket.destroy();
    });
  }

  it('refuses a maxPendingChanges that is not a positive integer', async () => {
    for (const value of [0, -1, 1.5, Number.NaN]) {
      const refused = await startDirectory({ port: false, maxPendingChanges: value }).then(
        async (started) => {
          await started.close();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(refused, String(value)).to.be.instanceOf(RangeError);
    }
  });
});

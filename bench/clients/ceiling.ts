/**
 * Not a client: the server's ceiling for the small-operation scenarios. The same requests as
 * the clients send (encoded by rxldap's encoder), the same number in flight, on one socket, but
 * with no client logic at all: requests are written in one batch per socket read, and responses
 * are only framed by their length and counted. No client can be faster than this on the same
 * server and machine, so a client's ops/s divided by the ceiling's says how much of the
 * server's capacity it reaches. It runs only base-searches and compares.
 */
import { connect } from 'node:net';
import { encodeMessage } from '../../lib/protocol/encode';
import type { LdapMessage } from '../../lib/protocol/types';
import { parseFilter } from '../../lib/filter/parse';
import { dnOf, fatal, finish, readJob, uidOf } from './job';
import type { Job, JobResult } from './job';

const SEARCH_RES_ENTRY = 0x64;
const BIND_ID = 1;

const requestFor = (job: Job, i: number): LdapMessage => {
  const messageId = i + 1; // 1 is the bind
  if (job.scenario === 'compares') {
    return { messageId, protocolOp: { type: 'compareRequest', entry: dnOf(job, i), ava: { attributeDesc: 'uid', assertionValue: Buffer.from(uidOf(job, i)) } } };
  }
  return {
    messageId,
    protocolOp: {
      type: 'searchRequest', baseObject: dnOf(job, i), scope: 'baseObject', derefAliases: 'neverDerefAliases',
      sizeLimit: 0, timeLimit: 0, typesOnly: false, filter: parseFilter('(objectClass=*)'), attributes: [],
    },
  };
};

/** Calls `onPdu(opTag)` for each whole PDU in `buffer`; returns the bytes left over. */
const frame = (buffer: Buffer, onPdu: (opTag: number) => void): Buffer => {
  let pos = 0;
  while (pos + 2 <= buffer.length) {
    let length = buffer[pos + 1]!;
    let header = 2;
    if (length >= 0x80) {
      const count = length & 0x7f;
      if (pos + 2 + count > buffer.length) break;
      length = 0;
      for (let k = 0; k < count; k++) length = length * 256 + buffer[pos + 2 + k]!;
      header += count;
    }
    if (pos + header + length > buffer.length) break;
    const idLength = buffer[pos + header + 1]!; // messageID: 0x02, its length, its octets
    onPdu(buffer[pos + header + 2 + idLength]!);
    pos += header + length;
  }
  return buffer.subarray(pos);
};

const run = (job: Job): Promise<JobResult> =>
  new Promise((resolve, reject) => {
    if (job.scenario !== 'compares' && job.scenario !== 'base-searches') throw new Error(`the ceiling runs no ${job.scenario}`);
    const url = new URL(job.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    socket.on('error', reject);
    let sent = 0;
    let answered = 0;
    let entries = 0;
    let bound = false;
    let start = 0n;
    let pending: Buffer = Buffer.alloc(0);
    const topUp = (): void => {
      const batch: Buffer[] = [];
      while (sent - answered < job.inFlight && sent < job.operations) batch.push(encodeMessage(requestFor(job, ++sent)));
      if (batch.length > 0) socket.write(Buffer.concat(batch));
    };
    socket.on('connect', () => {
      socket.write(encodeMessage({ messageId: BIND_ID, protocolOp: { type: 'bindRequest', version: 3, name: job.bindDN, authentication: { type: 'simple', simple: Buffer.from(job.password) } } }));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = frame(pending.length === 0 ? chunk : Buffer.concat([pending, chunk]), (opTag) => {
        if (!bound) {
          bound = true;
          start = process.hrtime.bigint();
          return;
        }
        if (opTag === SEARCH_RES_ENTRY) entries++;
        else answered++;
      });
      if (answered === job.operations) {
        const operationsMs = Number(process.hrtime.bigint() - start) / 1e6;
        socket.end();
        resolve({ entries: job.scenario === 'compares' ? answered : entries, values: 0, operationsMs });
        return;
      }
      topUp();
    });
  });

const main = async (): Promise<void> => {
  const job = readJob();
  finish(job, await run(job), job.operations);
};

main().catch(fatal);

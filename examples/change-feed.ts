/**
 * A change feed as NDJSON: RFC 4533 syncrepl (refreshAndPersist) against rxldap's in-memory
 * directory (rxldap/server, which serves syncrepl as slapd's syncprov does), one JSON object per
 * line on stdout. The refresh stage lists
 * the current content; then changes made through a second connection stream in live, and
 * unsubscribing ends the search with Cancel.
 *
 *   npm run example:change-feed            (add `-- --people N` for another directory size)
 *
 * Pipe it: `npm run -s example:change-feed | jq -c 'select(.type != "present")'`.
 */
import { isUtf8 } from 'node:buffer';
import { filter as keep, firstValueFrom, map, share } from 'rxjs';
import { Client } from 'rxldap';
import type { SyncEvent } from 'rxldap';
import { startDirectory } from 'rxldap/server';
import { PEOPLE_DN, generatePeople } from './support/people';

const ADMIN_DN = 'cn=admin,dc=example,dc=com';
const ADMIN_PASSWORD = 'secret';

/** Cookies are opaque octets; slapd's happen to be text, others' may not be. */
const cookieText = (cookie: Buffer): string => (isUtf8(cookie) ? cookie.toString('utf8') : `base64:${cookie.toString('base64')}`);

/** One event as a JSON-friendly object. */
const toRecord = (event: SyncEvent): Record<string, unknown> => {
  switch (event.type) {
    case 'add':
    case 'modify':
      return { type: event.type, entryUUID: event.entryUUID, ...event.entry.toJSON() };
    case 'cookie':
      return { type: 'cookie', cookie: cookieText(event.cookie) };
    case 'refreshDone':
    case 'refreshRequired':
      return event.cookie === undefined ? { type: event.type } : { type: event.type, cookie: cookieText(event.cookie) };
    default:
      return { ...event };
  }
};

const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`--${name} needs a whole number`);
  return value;
};

const main = async (): Promise<void> => {
  const server = await startDirectory({ ldif: generatePeople(argument('people', 5), { groupSize: 0 }), rootDN: ADMIN_DN, rootPassword: ADMIN_PASSWORD });
  const reader = new Client({ url: server.url, timeout: 10_000 });
  const writer = new Client({ url: server.url, timeout: 10_000 });
  try {
    await reader.bind(ADMIN_DN, ADMIN_PASSWORD);
    await writer.bind(ADMIN_DN, ADMIN_PASSWORD);

    const events = reader.syncrepl(PEOPLE_DN, { mode: 'refreshAndPersist', attributes: ['cn', 'sn', 'mail'] }).pipe(share());
    const printing = events.pipe(map((event) => JSON.stringify(toRecord(event)))).subscribe({
      next: (line) => process.stdout.write(`${line}\n`),
      error: (error: unknown) => process.stderr.write(`feed failed: ${String(error)}\n`),
    });
    await firstValueFrom(events.pipe(keep((event) => event.type === 'refreshDone')));

    // Live changes, made through another connection, arrive as events while the feed runs.
    const dn = `uid=feed-demo,${PEOPLE_DN}`;
    const deleted = firstValueFrom(events.pipe(keep((event) => event.type === 'delete')));
    await writer.add(dn, { objectClass: 'inetOrgPerson', uid: 'feed-demo', cn: 'Feed Demo', sn: 'Demo', mail: 'feed@example.com' });
    await writer.modify(dn, [{ operation: 'replace', attribute: 'mail', values: 'changed@example.com' }]);
    await writer.modifyDN(dn, 'uid=feed-renamed');
    await writer.delete(`uid=feed-renamed,${PEOPLE_DN}`);
    await deleted;

    printing.unsubscribe(); // ends the persist stage with a Cancel
  } finally {
    await Promise.allSettled([reader.unbind(), writer.unbind()]);
    await server.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});

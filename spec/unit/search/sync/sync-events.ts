/**
 * Synthetic SyncEvent streams for the consumer's unit specs: what client.syncrepl emits, built
 * by hand, so each RFC 4533 situation can be staged exactly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Observable } from 'rxjs';
import { SearchEntry } from '../../../../lib/search/entry';
import type { SyncEvent } from '../../../../lib/search/syncrepl-events';
import { FileSyncStore, MemorySyncStore } from '../../../../lib/search/sync';
import type { SyncStore } from '../../../../lib/search/sync';
import { SqliteSyncStore } from '../../../../lib/sqlite-store';

/** A readable fake entryUUID: uuid(7) → '00000000-0000-0000-0000-000000000007'. */
export const uuid = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;

export const cookie = (text: string): Buffer => Buffer.from(text, 'utf8');

const entry = (dn: string, attributes: Record<string, string | string[] | Buffer>): SearchEntry =>
  new SearchEntry(
    dn,
    Object.entries(attributes).map(([type, values]) => ({
      type,
      vals: Buffer.isBuffer(values) ? [values] : (Array.isArray(values) ? values : [values]).map((v) => Buffer.from(v, 'utf8')),
    })),
  );

export const add = (n: number, dn: string, attributes: Record<string, string | string[] | Buffer>): SyncEvent => ({ type: 'add', entryUUID: uuid(n), dn, entry: entry(dn, attributes) });
export const modify = (n: number, dn: string, attributes: Record<string, string | string[] | Buffer>): SyncEvent => ({ type: 'modify', entryUUID: uuid(n), dn, entry: entry(dn, attributes) });
export const present = (n: number, dn = ''): SyncEvent => ({ type: 'present', entryUUID: uuid(n), dn });
export const del = (n: number, dn = ''): SyncEvent => ({ type: 'delete', entryUUID: uuid(n), dn });
export const newCookie = (text: string): SyncEvent => ({ type: 'cookie', cookie: cookie(text) });
export const phaseEnd = (phase: 'present' | 'delete', refreshDone = true): SyncEvent => ({ type: 'phaseEnd', phase, refreshDone });
export const refreshDone = (text?: string): SyncEvent => (text === undefined ? { type: 'refreshDone' } : { type: 'refreshDone', cookie: cookie(text) });

/** A person's DN and attributes, small enough to read in a failure message. */
export const personDn = (name: string): string => `uid=${name},ou=people,dc=example,dc=com`;
export const person = (name: string, mail = `${name}@example.com`): Record<string, string | string[]> => ({ objectClass: ['top', 'person'], uid: name, cn: name, sn: name, mail });

/**
 * A source that replays one list of events per sync request (then completes, like refreshOnly)
 * and records the cookie each request was sent with, and whether it was unsubscribed.
 */
export class ScriptedSource {
  readonly cookies: Array<string | undefined> = [];
  unsubscribed = 0;
  private run = 0;

  constructor(private readonly runs: ReadonlyArray<readonly SyncEvent[]>, private readonly keepOpen = false) {}

  readonly source = (sent: Buffer | undefined): Observable<SyncEvent> =>
    new Observable<SyncEvent>((subscriber) => {
      this.cookies.push(sent?.toString('utf8'));
      const events = this.runs[this.run++] ?? [];
      for (const event of events) subscriber.next(event);
      if (!this.keepOpen) subscriber.complete();
      return () => {
        this.unsubscribed++;
      };
    });
}

export interface StoreKind {
  readonly name: string;
  /** A fresh, empty store; `reopen` gives a store over the same data, as a restarted process would. */
  create(): Promise<{ store: SyncStore; reopen: () => SyncStore; dispose: () => Promise<void> }>;
}

export const STORE_KINDS: readonly StoreKind[] = [
  {
    name: 'MemorySyncStore',
    create: async () => {
      const store = new MemorySyncStore();
      return { store, reopen: () => store, dispose: async () => undefined };
    },
  },
  {
    name: 'FileSyncStore',
    create: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rxldap-sync-'));
      return { store: new FileSyncStore(dir), reopen: () => new FileSyncStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'SqliteSyncStore',
    create: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rxldap-sync-sqlite-'));
      const path = join(dir, 'replica.sqlite');
      return { store: new SqliteSyncStore(path), reopen: () => new SqliteSyncStore(path), dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'SqliteSyncStore (writer thread)',
    create: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rxldap-sync-sqlite-'));
      const path = join(dir, 'replica.sqlite');
      const open = (): SqliteSyncStore => new SqliteSyncStore(path, { writer: 'thread' });
      return { store: open(), reopen: open, dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  },
];

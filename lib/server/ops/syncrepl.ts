import { encodeSyncInfoValue, ResultCode, SYNC_INFO_OID } from '../deps';
import type { Control, ControlOfType } from '../deps';
import type { DirectoryChange } from '../changes';
import type { OperationContext } from '../context';
import type { StoredEntry } from '../entry';
import { failure } from '../result';
import type { SearchPlan } from '../search-plan';
import { endStopped } from './search-common';

type SyncStateName = 'present' | 'add' | 'modify' | 'delete';
type SyncInfo = Parameters<typeof encodeSyncInfoValue>[0];

/** UUIDs per syncIdSet message. */
const ID_SET_SIZE = 1000;
const TURN = 512;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A cookie as slapd writes it, so a consumer (or ldapsearch -E sync=…/cookie) sees the familiar form. */
export const cookieFor = (csn: string): Buffer => Buffer.from(`rid=000,csn=${csn}`, 'utf8');
const csnOf = (cookie: Buffer): string | undefined => /(?:^|,)csn=([^,;]+)/.exec(cookie.toString('utf8'))?.[1];

/**
 * The syncrepl provider (RFC 4533), refreshOnly and refreshAndPersist:
 * - no cookie: every entry, as `add`, then a refresh-deletes end (as slapd ends a full refresh);
 * - a cookie the change log still covers: a delete phase, a syncIdSet of the entries gone from
 *   the results since then (deleted, renamed out, no longer matching) and the entries changed
 *   since then as `add`;
 * - a cookie older than the log (or not this directory's): e-syncRefreshRequired (4096), or with
 *   `staleCookie: 'present'` a present phase, unchanged entries named in syncIdSets;
 * - refreshAndPersist then streams each change as add, modify or delete with its cookie, until
 *   the search is abandoned or cancelled.
 * Changes made while the refresh is being sent are held and sent in the persist stage.
 */
export const syncSearch = async (context: OperationContext, plan: SearchPlan, sync: ControlOfType<'syncRequest'>): Promise<void> => {
  const { directory, staleCookie } = context.settings;
  const persist = sync.value.mode === 'refreshAndPersist';
  const base = plan.resolveBase();
  const cookieCsn = sync.value.cookie === undefined || sync.value.cookie.length === 0 ? undefined : (csnOf(sync.value.cookie) ?? '');
  const snapshotCsn = directory.contextCSN;
  const since = cookieCsn === undefined || cookieCsn === '' ? undefined : directory.changesSince(cookieCsn);
  const stale = cookieCsn !== undefined && since === undefined;
  if (stale && staleCookie === 'refreshRequired') throw failure('syncRefreshRequired', 'cookie is too old or unknown: refresh required');

  // Everything the refresh sends is decided now, in one turn, so changes that arrive while it
  // is being written are the persist stage's, not lost between the two.
  const queued: DirectoryChange[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = persist
    ? directory.subscribe((change) => {
        queued.push(change);
        wake?.();
      })
    : undefined;
  context.onStop(() => {
    unsubscribe?.();
    wake?.();
  });

  const state = (value: SyncStateName, entry: StoredEntry, cookie?: Buffer): Control[] => [
    { type: 'syncState', oid: '1.3.6.1.4.1.4203.1.9.1.2', criticality: false, value: cookie === undefined ? { state: value, entryUUID: entry.meta.uuid } : { state: value, entryUUID: entry.meta.uuid, cookie } },
  ];
  const info = (value: SyncInfo): void => context.reply.send({ type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: encodeSyncInfoValue(value) });
  const sendIdSets = async (uuids: Buffer[], refreshDeletes: boolean, cookie: Buffer | undefined): Promise<void> => {
    for (let at = 0; at < uuids.length; at += ID_SET_SIZE) {
      const syncUUIDs = uuids.slice(at, at + ID_SET_SIZE);
      info(cookie === undefined || at + ID_SET_SIZE < uuids.length ? { type: 'syncIdSet', refreshDeletes, syncUUIDs } : { type: 'syncIdSet', cookie, refreshDeletes, syncUUIDs });
      await context.reply.drained();
    }
  };

  let refreshDeletes: boolean;
  const adds: StoredEntry[] = [];
  const gone: Buffer[] = [];
  const present: Buffer[] = [];
  if (since !== undefined && cookieCsn !== undefined) {
    refreshDeletes = true;
    const firstBefore = new Map<string, StoredEntry | undefined>();
    for (const change of since) {
      const uuid = (change.before ?? change.after)!.meta.uuid.toString('hex');
      if (!firstBefore.has(uuid)) firstBefore.set(uuid, change.before);
    }
    for (const [uuid, before] of firstBefore) {
      const now = directory.getByUuid(uuid);
      if (plan.visible(now)) adds.push(now!);
      else if (before !== undefined && plan.visible(before)) gone.push(before.meta.uuid);
    }
    adds.sort((a, b) => (a.meta.csn < b.meta.csn ? -1 : a.meta.csn > b.meta.csn ? 1 : 0));
  } else {
    refreshDeletes = !stale;
    for (const entry of plan.candidates(base)) {
      if (!plan.matches(entry)) continue;
      if (stale && entry.meta.csn <= (cookieCsn ?? '')) present.push(entry.meta.uuid);
      else adds.push(entry);
    }
  }
  const cookie = cookieFor(snapshotCsn);

  if (gone.length > 0) await sendIdSets(gone, true, undefined);
  if (present.length > 0) await sendIdSets(present, false, undefined);
  let sent = 0;
  for (const entry of adds) {
    if (context.stopped !== undefined) return endStopped(context);
    context.reply.send(plan.toEntry(entry), state('add', entry));
    if (++sent % TURN === 0) {
      await nextTurn();
      await context.reply.drained();
    }
  }
  if (context.stopped !== undefined) return endStopped(context);

  if (!persist) {
    context.reply.send({ type: 'searchResDone', resultCode: ResultCode.success, matchedDN: '', diagnosticMessage: '' }, [
      { type: 'syncDone', oid: '1.3.6.1.4.1.4203.1.9.1.3', criticality: false, value: { cookie, refreshDeletes } },
    ]);
    context.finish();
    return;
  }
  info(refreshDeletes ? { type: 'refreshDelete', cookie, refreshDone: true } : { type: 'refreshPresent', cookie, refreshDone: true });

  // Persist stage: every change after the snapshot, as it happens.
  for (;;) {
    while (queued.length > 0) {
      const change = queued.shift()!;
      if (change.csn <= snapshotCsn) continue;
      const was = plan.visible(change.before);
      const is = plan.visible(change.after);
      if (change.implied && was === is) continue;
      const changeCookie = cookieFor(change.csn);
      if (is) context.reply.send(plan.toEntry(change.after!), state(was ? 'modify' : 'add', change.after!, changeCookie));
      else if (was) context.reply.send({ type: 'searchResEntry', objectName: change.before!.dnText, attributes: [] }, state('delete', change.before!, changeCookie));
      await context.reply.drained();
      if (context.stopped !== undefined) return endStopped(context);
    }
    if (context.stopped !== undefined) return endStopped(context);
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (queued.length > 0 || context.stopped !== undefined) resolve();
    });
    wake = undefined;
  }
};

import { encodeSyncInfoValue, ResultCode, SYNC_INFO_OID } from '../deps';
import type { Control, ControlOfType } from '../deps';
import type { OperationContext } from '../context';
import type { StoredEntry } from '../entry';
import { failure } from '../result';
import type { SearchPlan } from '../search-plan';
import { followChanges } from './change-follower';
import { endStopped } from './search-common';

type SyncStateName = 'present' | 'add' | 'modify' | 'delete';
type SyncInfo = Parameters<typeof encodeSyncInfoValue>[0];

const TURN = 512;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A cookie as slapd writes it, so a consumer (or ldapsearch -E sync=…/cookie) sees the familiar form. */
export const cookieFor = (csn: string): Buffer => Buffer.from(`rid=000,csn=${csn}`, 'utf8');
const csnOf = (cookie: Buffer): string | undefined => /(?:^|,)csn=([^,;]+)/.exec(cookie.toString('utf8'))?.[1];

/**
 * The syncrepl provider (RFC 4533), refreshOnly and refreshAndPersist, as slapd's syncprov
 * answers (its messages, cookies `rid=000,csn=…`, and the order it sends things in):
 * - no cookie: every entry, as `add`, then a refresh-deletes end (as slapd ends a full refresh);
 * - a cookie the change log still covers: a delete phase, one syncIdSet per entry gone from the
 *   results since then (deleted, moved out, no longer matching), each with a `delcsn` cookie,
 *   then the entries changed since then as `add`; nothing changed: an end without a new cookie;
 * - a cookie older than the log: e-syncRefreshRequired (4096, the default), or with
 *   `staleCookie: 'present'` a present phase as slapd does (unchanged entries as `present`, the
 *   changed ones as `add`, refreshDeletes false: the consumer deletes what was not named);
 * - a cookie newer than the directory: unwillingToPerform, as slapd;
 * - refreshAndPersist then streams each change as add, modify or delete with its cookie, until
 *   the search is abandoned or cancelled.
 * Changes made while the refresh is being sent are held and sent in the persist stage.
 */
export const syncSearch = async (context: OperationContext, plan: SearchPlan, sync: ControlOfType<'syncRequest'>): Promise<void> => {
  const { directory, staleCookie } = context.settings;
  const persist = sync.value.mode === 'refreshAndPersist';
  const base = plan.resolveBase();
  const given = sync.value.cookie === undefined || sync.value.cookie.length === 0 ? undefined : (csnOf(sync.value.cookie) ?? '');
  const snapshotCsn = directory.contextCSN;
  if (given !== undefined && given > snapshotCsn) throw failure('unwillingToPerform', 'consumer state is newer than provider!');
  const since = given === undefined || given === '' ? undefined : directory.changesSince(given);
  const stale = given !== undefined && since === undefined;
  if (stale && staleCookie === 'refreshRequired') throw failure('syncRefreshRequired', 'cookie is too old or unknown: refresh required');

  // Everything the refresh sends is decided now, in one turn, so changes that arrive while it
  // is being written are the persist stage's, not lost between the two.
  const changes = persist ? followChanges(context, directory) : undefined;

  const state = (value: SyncStateName, entry: StoredEntry, cookie?: Buffer): Control[] => [
    { type: 'syncState', oid: '1.3.6.1.4.1.4203.1.9.1.2', criticality: false, value: cookie === undefined ? { state: value, entryUUID: entry.meta.uuid } : { state: value, entryUUID: entry.meta.uuid, cookie } },
  ];
  const info = (value: SyncInfo): void => context.reply.send({ type: 'intermediateResponse', responseName: SYNC_INFO_OID, responseValue: encodeSyncInfoValue(value) });

  // The refresh, as slapd's syncprov gives it: without a cookie every entry as an add; from a
  // cookie its session log covers, a syncIdSet per entry gone since (the cookie naming that
  // delete's CSN), then the entries changed since; from an older one, a present phase.
  const refresh: Array<{ entry: StoredEntry; present: boolean }> = [];
  const gone: Array<{ uuid: Buffer; csn: string }> = [];
  if (since !== undefined) {
    const first = new Map<string, StoredEntry | undefined>();
    const last = new Map<string, string>();
    for (const change of since) {
      // Every change has an entry before it, after it, or both.
      const entry = change.before ?? change.after;
      if (entry === undefined) continue;
      const uuid = entry.meta.uuid.toString('hex');
      if (!first.has(uuid)) first.set(uuid, change.before);
      last.set(uuid, change.csn);
    }
    for (const [uuid, before] of first) {
      const csn = last.get(uuid);
      if (before === undefined || csn === undefined || !plan.visible(before) || plan.visible(directory.getByUuid(uuid))) continue;
      gone.push({ uuid: before.meta.uuid, csn });
    }
    gone.sort((a, b) => (a.csn < b.csn ? -1 : a.csn > b.csn ? 1 : 0));
  }
  for (const entry of plan.candidates(base)) {
    if (!plan.matches(entry)) continue;
    const changed = given === undefined || given === '' || entry.meta.csn > given;
    if (changed) refresh.push({ entry, present: false });
    else if (stale) refresh.push({ entry, present: true });
  }
  const refreshDeletes = !stale;
  // A consumer that is up to date gets no new cookie, as from slapd.
  const unchanged = since !== undefined && since.length === 0;
  const cookie = unchanged ? undefined : cookieFor(snapshotCsn);

  for (const { uuid, csn } of gone) {
    info({ type: 'syncIdSet', cookie: Buffer.from(`rid=000,csn=${given ?? ''},delcsn=${csn}`, 'utf8'), refreshDeletes: true, syncUUIDs: [uuid] });
  }
  let sent = 0;
  for (const { entry, present } of refresh) {
    if (context.stopped !== undefined) return endStopped(context);
    if (present) context.reply.send({ type: 'searchResEntry', objectName: entry.dnText, attributes: [] }, state('present', entry));
    else context.reply.send(plan.toEntry(entry), state('add', entry));
    if (!context.reply.writable) await context.reply.drained();
    if (++sent % TURN === 0) await nextTurn();
  }
  if (context.stopped !== undefined) return endStopped(context);

  if (changes === undefined) {
    // refreshOnly (no persist stage, so nothing was followed): the refresh ends the search.
    context.reply.send({ type: 'searchResDone', resultCode: ResultCode.success, matchedDN: '', diagnosticMessage: '' }, [
      { type: 'syncDone', oid: '1.3.6.1.4.1.4203.1.9.1.3', criticality: false, value: cookie === undefined ? { refreshDeletes } : { cookie, refreshDeletes } },
    ]);
    context.finish();
    return;
  }
  const done = cookie === undefined ? { refreshDone: true } : { cookie, refreshDone: true };
  info(refreshDeletes ? { type: 'refreshDelete', ...done } : { type: 'refreshPresent', ...done });

  // Persist stage: every change after the snapshot, as it happens.
  for (;;) {
    for (let change = changes.take(); change !== undefined; change = changes.take()) {
      if (change.csn <= snapshotCsn) continue;
      const { before, after } = change;
      // visible() is false for a missing entry, so `was` and `is` also say which entries exist.
      const was = plan.visible(before);
      const is = plan.visible(after);
      if (change.implied && was === is) continue;
      const changeCookie = cookieFor(change.csn);
      if (is && after !== undefined) context.reply.send(plan.toEntry(after), state(was ? 'modify' : 'add', after, changeCookie));
      // An entry that left the results is named as it is now (a move out of scope: its new DN), as slapd names it.
      else if (was && before !== undefined) context.reply.send({ type: 'searchResEntry', objectName: (after ?? before).dnText, attributes: [] }, state('delete', before, changeCookie));
      await context.reply.drained();
      if (context.stopped !== undefined) return endStopped(context);
    }
    if (context.stopped !== undefined) return endStopped(context);
    // RFC 4533 §2.5: the consumer refreshes from its cookie (and loses nothing) instead of the
    // server holding every change a slow consumer has not read.
    if (changes.overflowed) throw failure('syncRefreshRequired', `consumer fell more than ${context.settings.maxPendingChanges} changes behind: refresh required`);
    await changes.more();
  }
};

import type { Control, ControlOfType } from '../deps';
import type { OperationContext } from '../context';
import type { SearchPlan } from '../search-plan';
import { followChanges } from './change-follower';
import { endStopped } from './search-common';
import { failure } from '../result';

const BITS = { add: 1, delete: 2, modify: 4, modDN: 8 } as const;
const TURN = 512;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Persistent search (draft-ietf-ldapext-psearch-03), which slapd does not serve and 389-ds
 * does: unless changesOnly, the current results first; then each add, delete, modify or modDN
 * of the kinds asked for, as the entry is after the change (before it, for a delete), with an
 * Entry Change Notification control when returnECs is set. It never ends by itself: the client
 * abandons it. A change is reported when the entry matches the search after it (before it, for a
 * delete); an entry that stops matching is not reported, as on 389-ds.
 */
export const persistentSearch = async (context: OperationContext, plan: SearchPlan, request: ControlOfType<'persistentSearch'>): Promise<void> => {
  const { directory } = context.settings;
  const base = plan.resolveBase();
  const { changeTypes, changesOnly, returnECs } = request.value;
  const changes = followChanges(context, directory);
  if (!changesOnly) {
    const current = [...plan.candidates(base)].filter((entry) => plan.matches(entry));
    let sent = 0;
    for (const entry of current) {
      if (context.stopped !== undefined) return endStopped(context);
      context.reply.send(plan.toEntry(entry));
      if (!context.reply.writable) await context.reply.drained();
      if (++sent % TURN === 0) await nextTurn();
    }
  }
  for (;;) {
    for (let change = changes.take(); change !== undefined; change = changes.take()) {
      if (change.implied || (changeTypes & BITS[change.kind]) === 0) continue;
      const entry = change.kind === 'delete' ? change.before : change.after;
      if (entry === undefined || !plan.visible(entry)) continue;
      const controls: Control[] = [];
      if (returnECs) {
        const value =
          change.kind === 'modDN' && change.before !== undefined
            ? { changeType: change.kind, previousDN: change.before.dnText, changeNumber: change.changeNumber }
            : { changeType: change.kind, changeNumber: change.changeNumber };
        controls.push({ type: 'entryChangeNotification', oid: '2.16.840.1.113730.3.4.7', criticality: false, value });
      }
      context.reply.send(plan.toEntry(entry), controls);
      await context.reply.drained();
      if (context.stopped !== undefined) return endStopped(context);
    }
    if (context.stopped !== undefined) return endStopped(context);
    // 389-ds ends a persistent search whose client cannot keep up, too; the client searches again.
    if (changes.overflowed) throw failure('adminLimitExceeded', `persistent search fell more than ${context.settings.maxPendingChanges} changes behind`);
    await changes.more();
  }
};

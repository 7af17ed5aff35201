import type { Subscription } from 'rxjs';
import { ProtocolError, ResultCode } from '../errors';
import { ResumePolicy, isResumable } from './resume-policy';
import type { RxLdapError } from '../errors';
import { Operation, settleAll } from '../operations/operation';
import { exchangeOptionsOf, ownTimeoutOnly } from '../operations/exchange-options';
import { persistentSearchControl } from '../protocol/controls/factories';
import type { ChangeTypeName, Control, EntryChangeNotificationControl } from '../protocol/controls/types';
import { errorFromResult } from '../protocol/error-from-result';
import type { LdapMessage, PartialAttribute } from '../protocol/types';
import type { SearchChannel } from './channel';
import { SearchEntry } from './entry';
import type { ValueTyping } from '../schema/value-typing';
import { buildSearchRequest, iteratorOptions } from './search-request';
import type { SearchOptions } from './search-request';

export interface PersistentSearchOptions extends Omit<SearchOptions, 'onDone'> {
  /** Which changes to report: names or the draft's bitmask (add 1, delete 2, modify 4, modDN 8); default all. */
  changeTypes?: number | readonly ChangeTypeName[];
  /** Only changes (default true); false first returns the entries that match now, as `initial` events. */
  changesOnly?: boolean;
  /** Ask for Entry Change Notification controls (default true); without them a change's type is unknown. */
  returnECs?: boolean;
  /** Make the persistent search control critical (default true: a server without it must refuse, not run a plain search). */
  critical?: boolean;
  /**
   * When the connection is lost, search again on the client's new connection (which the client
   * has made the same identity) and say so with a `resumed` event, instead of failing with
   * ConnectionError (default false). A persistent search has no cookie: changes made while it was
   * away are not seen; `changesOnly: false` sends the matching entries again with each resume.
   */
  resume?: boolean;
}

/**
 * In a resuming persistent search's stream: the connection was lost and the search started
 * again on a new one; changes made in between were not seen.
 */
export interface PersistentSearchResumedEvent {
  readonly type: 'resumed';
  /** Why the connection ended. */
  readonly reason: RxLdapError;
}


/**
 * What happened to an entry: a change type, `initial` for an entry that matched when the search
 * began (changesOnly false), or `unknown` when the server sent no Entry Change Notification
 * (returnECs false), so the entry may be a change of any type or, with changesOnly false, an
 * initial one.
 */
export type ChangeEventType = ChangeTypeName | 'initial' | 'unknown';

/** One event of a persistent search. */
export interface ChangeEvent {
  readonly type: ChangeEventType;
  /** The entry after the change (for a delete: as it was). */
  readonly entry: SearchEntry;
  /** For modDN: the DN before the rename. */
  readonly previousDN?: string;
  /** The server's change number, when it keeps a changelog. */
  readonly changeNumber?: number;
}

const isEntryChangeNotification = (control: Control): control is EntryChangeNotificationControl => control.type === 'entryChangeNotification';

/**
 * The event for one searchResEntry. A server asked for Entry Change Notifications sends one with
 * every change, so an entry without one is part of the initial results; when they were not asked
 * for, nothing tells the two apart.
 */
const changeEventOf = (message: LdapMessage, objectName: string, attributes: readonly PartialAttribute[], returnECs: boolean, typing: ValueTyping | undefined): ChangeEvent => {
  const controls = message.controls ?? [];
  // Typed by the client's schema in use when the change arrives, as a search's entries are.
  const entry = new SearchEntry(objectName, attributes, controls, message.messageId, typing);
  const notification = controls.find(isEntryChangeNotification);
  if (notification === undefined) return { type: returnECs ? 'initial' : 'unknown', entry };
  const { changeType, previousDN, changeNumber } = notification.value;
  return {
    type: changeType,
    entry,
    ...(previousDN !== undefined ? { previousDN } : {}),
    ...(changeNumber !== undefined ? { changeNumber } : {}),
  };
};

/**
 * draft-ietf-ldapext-psearch-03: a search that stays open and reports each later change to a
 * matching entry as a ChangeEvent. It never completes on its own (unless the server ends it with
 * a successful searchResDone); unsubscribing, `break`ing out of `for await`, or aborting sends
 * Abandon. A server that refuses the search (e.g. unavailableCriticalExtension (12) from one
 * without persistent search, when the control is critical) fails it with the LdapError for the
 * result. Search references are ignored.
 *
 * The client's default `timeout` does not apply, as it would end a healthy search that merely
 * has nothing to report; an explicit `options.timeout` does.
 */
export function persistentSearch(channel: SearchChannel, base: string, options: PersistentSearchOptions & { resume: true }): Operation<ChangeEvent | PersistentSearchResumedEvent, Array<ChangeEvent | PersistentSearchResumedEvent>>;
export function persistentSearch(channel: SearchChannel, base: string, options?: PersistentSearchOptions): Operation<ChangeEvent, ChangeEvent[]>;
export function persistentSearch(
  channel: SearchChannel,
  base: string,
  options: PersistentSearchOptions = {},
): Operation<ChangeEvent, ChangeEvent[]> | Operation<ChangeEvent | PersistentSearchResumedEvent, Array<ChangeEvent | PersistentSearchResumedEvent>> {
  const returnECs = options.returnECs ?? true;
  const control = persistentSearchControl(
    {
      ...(options.changeTypes !== undefined ? { changeTypes: options.changeTypes } : {}),
      changesOnly: options.changesOnly ?? true,
      returnECs,
    },
    { critical: options.critical ?? true },
  );
  const request = buildSearchRequest(base, options);
  const exchangeOptions = exchangeOptionsOf({ controls: [control, ...(options.controls ?? [])], timeout: ownTimeoutOnly(options.timeout), signal: options.signal });
  return new Operation<ChangeEvent | PersistentSearchResumedEvent, Array<ChangeEvent | PersistentSearchResumedEvent>>(
    (subscriber) => {
      let current: Subscription | undefined;
      const resumes = new ResumePolicy();
      let resumeTimer: NodeJS.Timeout | undefined;
      const run = (): void => {
        current = channel.search(request, exchangeOptions).subscribe({
          next: (message) => {
            const op = message.protocolOp;
            if (op.type === 'searchResEntry') {
              subscriber.next(changeEventOf(message, op.objectName, op.attributes, returnECs, channel.typing?.()));
            } else if (op.type === 'searchResDone') {
              if (op.resultCode !== ResultCode.success) subscriber.error(errorFromResult(op, message.messageId));
            } else if (op.type !== 'searchResRef' && op.type !== 'intermediateResponse') {
              subscriber.error(new ProtocolError(`unexpected ${op.type} in a persistent search (messageID ${message.messageId})`));
            }
          },
          error: (error: unknown) => {
            const delay = options.resume !== true || subscriber.closed || !isResumable(error) ? undefined : resumes.next();
            if (delay === undefined || !isResumable(error)) {
              subscriber.error(error);
              return;
            }
            subscriber.next({ type: 'resumed', reason: error });
            if (!subscriber.closed) resumeTimer = setTimeout(run, delay);
          },
          complete: () => subscriber.complete(),
        });
      };
      run();
      return () => {
        if (resumeTimer !== undefined) clearTimeout(resumeTimer);
        current?.unsubscribe();
      };
    },
    { settle: settleAll, flow: channel.flow, ...iteratorOptions(options) },
  );
}

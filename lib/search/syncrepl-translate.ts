import { ProtocolError, ResultCode } from '../errors';
import type { LdapError } from '../errors';
import type { Control, SyncDoneControl, SyncStateControl } from '../protocol/controls/types';
import { decodeSyncInfoValue, SYNC_INFO_OID } from '../protocol/intermediate/sync-info';
import type { SyncInfo } from '../protocol/intermediate/sync-info';
import { errorFromResult } from '../protocol/error-from-result';
import type { LdapMessage, SearchResultDone, SearchResultEntry } from '../protocol/types';
import { UndecodedEntry } from '../protocol/undecoded-entry';
import { SearchEntry } from './entry';
import type { ValueTyping } from '../schema/value-typing';
import type { SyncEvent } from './syncrepl-events';
import { syncUUIDToString } from './syncrepl-uuid';

/** What the searchResDone of one sync request asks the session to do next. */
export type SyncOutcome =
  | { readonly kind: 'complete' }
  /** e-syncRefreshRequired: send the request again, with `cookie` or (undefined) for a full reload. */
  | { readonly kind: 'restart'; readonly cookie: Buffer | undefined; readonly error: LdapError }
  | { readonly kind: 'fail'; readonly error: Error };

export interface SyncTranslation {
  readonly events: readonly SyncEvent[];
  /** Set for the searchResDone only. */
  readonly outcome?: SyncOutcome;
}

const NOTHING: SyncTranslation = { events: [] };

const findControl = <T extends Control['type']>(controls: readonly Control[] | undefined, type: T): Extract<Control, { type: T }> | undefined =>
  controls?.find((control): control is Extract<Control, { type: T }> => control.type === type);

/**
 * Turns the messages of ONE sync request (RFC 4533) into SyncEvents, in wire order. It is pure
 * apart from two facts it remembers: whether the refresh stage has ended, and the newest
 * cookie (what refreshDone reports). A restart after e-syncRefreshRequired starts a new one.
 * Violations of RFC 4533 throw ProtocolError; the caller fails the operation with it.
 */
export class SyncMessageTranslator {
  private refreshEnded = false;
  private newestCookie: Buffer | undefined;

  constructor(
    private readonly expandIdSets: boolean,
    /** The cookie the request was sent with: the newest one until the server sends another. */
    cookie?: Buffer,
    /** The schema in use for entries' typed values, asked for each entry (the client's, as a search's entries are typed). */
    private readonly typing: () => ValueTyping | undefined = () => undefined,
    /**
     * The request asked for its entries undecoded (the SyncReplConsumer's own sync): an
     * UndecodedEntry is then the event's `entry` itself (cast), which only that consumer reads.
     */
    private readonly undecoded = false,
  ) {
    this.newestCookie = cookie;
  }

  /** Whether the refresh stage is over (refreshAndPersist: changes now stream live). */
  get refreshDone(): boolean {
    return this.refreshEnded;
  }

  /** The newest cookie of the session so far. */
  get cookie(): Buffer | undefined {
    return this.newestCookie;
  }

  translate(message: LdapMessage): SyncTranslation {
    const op = message.protocolOp;
    switch (op.type) {
      case 'searchResEntry':
        return { events: this.entryEvents(op, message) };
      case 'intermediateResponse':
        // Other intermediate responses (none is defined for a search today) are not ours to judge.
        if (op.responseName !== SYNC_INFO_OID) return NOTHING;
        if (op.responseValue === undefined) throw new ProtocolError('Sync Info Message without a responseValue');
        return { events: this.infoEvents(decodeSyncInfoValue(op.responseValue)) };
      case 'searchResRef':
        // RFC 4533 §3.4 lets a reference carry a Sync State; rxldap does not chase references,
        // and a reference names no entry of this server's content, so it is dropped.
        return NOTHING;
      case 'searchResDone':
        return this.doneEvents(op, message);
      default:
        throw new ProtocolError(`unexpected ${op.type} in a sync search (messageID ${message.messageId})`);
    }
  }

  private entryEvents(op: SearchResultEntry, message: LdapMessage): SyncEvent[] {
    const state: SyncStateControl | undefined = findControl(message.controls, 'syncState');
    if (state === undefined) {
      // Without it nothing says whether the entry is new, changed or gone: a server that ignored
      // the Sync Request, or a broken one. Guessing could corrupt the consumer's copy.
      throw new ProtocolError(`sync search entry '${op.objectName}' has no Sync State control (messageID ${message.messageId})`);
    }
    const entryUUID = syncUUIDToString(state.value.entryUUID);
    const dn = op.objectName;
    const events: SyncEvent[] = [];
    switch (state.value.state) {
      case 'present':
        events.push({ type: 'present', entryUUID, dn });
        break;
      case 'add':
      case 'modify':
        events.push({
          type: state.value.state,
          entryUUID,
          dn,
          entry: this.undecoded && op instanceof UndecodedEntry ? (op as unknown as SearchEntry) : new SearchEntry(dn, op.attributes, message.controls ?? [], message.messageId, this.typing()),
        });
        break;
      case 'delete':
        events.push({ type: 'delete', entryUUID, dn });
        break;
    }
    this.pushCookie(events, state.value.cookie);
    return events;
  }

  private infoEvents(info: SyncInfo): SyncEvent[] {
    const events: SyncEvent[] = [];
    switch (info.type) {
      case 'newcookie':
        this.pushCookie(events, info.cookie);
        break;
      case 'refreshPresent':
      case 'refreshDelete':
        events.push({ type: 'phaseEnd', phase: info.type === 'refreshPresent' ? 'present' : 'delete', refreshDone: info.refreshDone });
        this.pushCookie(events, info.cookie);
        if (info.refreshDone) this.endRefresh(events);
        break;
      case 'syncIdSet': {
        const entryUUIDs = info.syncUUIDs.map(syncUUIDToString);
        if (!this.expandIdSets) {
          events.push({ type: 'syncIdSet', entryUUIDs, refreshDeletes: info.refreshDeletes });
        } else {
          const type = info.refreshDeletes ? 'delete' : 'present';
          for (const entryUUID of entryUUIDs) events.push({ type, entryUUID, dn: '' });
        }
        this.pushCookie(events, info.cookie);
        break;
      }
    }
    return events;
  }

  private doneEvents(op: SearchResultDone, message: LdapMessage): SyncTranslation {
    const done: SyncDoneControl | undefined = findControl(message.controls, 'syncDone');
    if (op.resultCode === ResultCode.syncRefreshRequired) {
      return { events: [], outcome: { kind: 'restart', cookie: done?.value.cookie, error: errorFromResult(op, message.messageId) } };
    }
    if (op.resultCode !== ResultCode.success) {
      return { events: [], outcome: { kind: 'fail', error: errorFromResult(op, message.messageId) } };
    }
    const events: SyncEvent[] = [];
    if (!this.refreshEnded) {
      if (done === undefined) {
        // A refresh that ends without Sync Done says neither which phase it was nor where to
        // resume: treating it as a present phase could delete the consumer's whole copy.
        const error = new ProtocolError(`sync search ended successfully without a Sync Done control (messageID ${message.messageId})`);
        return { events, outcome: { kind: 'fail', error } };
      }
      // refreshOnly's end (RFC 4533 §3.3.1), or a refreshAndPersist the server ended early.
      events.push({ type: 'phaseEnd', phase: done.value.refreshDeletes ? 'delete' : 'present', refreshDone: true });
      this.pushCookie(events, done.value.cookie);
      this.endRefresh(events);
    } else {
      // The server ended the persist stage: no phase ends here (a 'present' phaseEnd would make
      // a consumer delete everything not seen since the refresh), only the cookie counts.
      this.pushCookie(events, done?.value.cookie);
    }
    return { events, outcome: { kind: 'complete' } };
  }

  private pushCookie(events: SyncEvent[], cookie: Buffer | undefined): void {
    if (cookie === undefined) return;
    this.newestCookie = cookie;
    events.push({ type: 'cookie', cookie });
  }

  private endRefresh(events: SyncEvent[]): void {
    if (this.refreshEnded) return; // a second refreshDone would restart a consumer's bookkeeping
    this.refreshEnded = true;
    events.push(this.newestCookie === undefined ? { type: 'refreshDone' } : { type: 'refreshDone', cookie: this.newestCookie });
  }
}

import type { Observable } from 'rxjs';
import type { ExchangeOptions } from '../operations/exchange';
import type { FlowControl } from '../operations/operation';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, SearchRequest } from '../protocol/types';
import type { ValueTyping } from '../schema/value-typing';

/**
 * What the search family (paged, persistent, syncrepl) needs from a client: send one search on
 * its connection and get the cold Observable of the messages routed to it, ending with the
 * searchResDone. Kept this narrow so each feed lives in its own file and is testable without
 * the Client facade.
 */
export interface SearchChannel {
  /** Subscribing connects if needed and sends `request`; unsubscribing before the end stops it (ExchangeOptions.stopWith). */
  search(request: SearchRequest, options: ExchangeOptions): Observable<LdapMessage>;
  /** Pauses / resumes reading the connection (backpressure from an async iterator). */
  readonly flow: FlowControl;
  /**
   * A channel whose searches all go to one connection: the one its first search opens or finds.
   * A multi-request feed (the pages of a paged search, the restarts of a sync) needs this: its
   * cookie and bind belong to that connection, so once it has closed the next request fails
   * with the close reason instead of silently going to a fresh, unauthenticated connection.
   */
  session(): SearchChannel;
  /** The schema the entries' typed accessors use, when the client has one (read per entry: it may change). */
  typing?(): ValueTyping | undefined;
  /** Lets the client add what it knows to a search's error (a refused critical control the server does not list). */
  explainError?(error: Error, controls: readonly Control[] | undefined): Error;
}

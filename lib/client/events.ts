import type { RxLdapError } from '../errors';

/** Who a connection is bound as (see Client.boundAs). */
export type BoundIdentity =
  | { readonly method: 'simple'; readonly dn: string }
  | { readonly method: 'sasl'; readonly mechanism: string; readonly authzId?: string; readonly username?: string };

/**
 * The client's life, as it happens (Client.events): which server it reached, who it is bound
 * as, why a connection ended, each reconnection attempt and each move to another server. No
 * event carries a credential.
 */
export type ClientEvent =
  | { readonly type: 'connected'; readonly server: string; readonly secure: boolean }
  | { readonly type: 'bound'; readonly server: string; readonly identity: BoundIdentity | undefined; readonly rebind: boolean }
  | { readonly type: 'disconnected'; readonly server: string; readonly reason: RxLdapError; readonly expected: boolean }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delay: number; readonly server: string; readonly reason: RxLdapError | undefined }
  | { readonly type: 'failover'; readonly from: string; readonly to: string }
  | { readonly type: 'unavailable'; readonly reason: RxLdapError };

export type ClientEventType = ClientEvent['type'];

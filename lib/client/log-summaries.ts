import { LdapError, resultCodeName } from '../errors';
import type { RxLdapError } from '../errors';
import type { LdapMessage } from '../protocol/types';
import { UndecodedEntry } from '../protocol/undecoded-entry';
import type { BoundIdentity, ClientEvent } from './events';
import type { LogFields, LogLevel } from './logging';

/**
 * What rxldap's log lines say, built from safe parts only. A received message is summarized by
 * allow-list: its type, messageID, result code, matched DN, an entry's DN and attribute NAMES,
 * and control OIDs. Never an attribute value (userPassword is one), a control's value, an
 * extended response's value, serverSaslCreds, nor the server's diagnostic text, which can quote
 * what a request carried. Requests are known only by type, messageID and size (see
 * ConnectionObserver.sent): a BindRequest's bytes never reach telemetry.
 */
export const responseSummary = (message: LdapMessage): LogFields => {
  const op = message.protocolOp;
  const fields: Record<string, unknown> = { messageId: message.messageId, type: op.type };
  switch (op.type) {
    case 'searchResEntry':
      fields['dn'] = op.objectName;
      // An entry left undecoded for ldifStream or the SyncReplConsumer stays so: names only.
      fields['attributes'] = op instanceof UndecodedEntry ? op.attributeTypes() : op.attributes.map((attribute) => attribute.type);
      break;
    case 'searchResRef':
      // The URLs' count only: an LDAP URL's extensions may name a bind identity.
      fields['uris'] = op.uris.length;
      break;
    case 'intermediateResponse':
      if (op.responseName !== undefined) fields['responseName'] = op.responseName;
      break;
    default:
      if ('resultCode' in op) {
        fields['resultCode'] = op.resultCode;
        fields['result'] = resultCodeName(op.resultCode);
        if (op.matchedDN !== '') fields['matchedDN'] = op.matchedDN;
      }
      if (op.type === 'extendedResp' && op.responseName !== undefined) fields['responseName'] = op.responseName;
  }
  if (message.controls !== undefined && message.controls.length > 0) fields['controls'] = message.controls.map((control) => control.oid);
  return fields;
};

/** An error as a log shows it: its class, message and result code; never its cause chain or stack. */
export const errorSummary = (error: RxLdapError): LogFields =>
  error instanceof LdapError ? { name: error.name, message: error.message, code: error.code } : { name: error.name, message: error.message };

/** A client event as one log line: its level, its message and its fields (events carry no credential). */
export const eventLine = (event: ClientEvent): { level: LogLevel; message: string; fields: LogFields } => {
  switch (event.type) {
    case 'connected':
      return { level: 'basic', message: `connected to ${event.server}`, fields: { event: event.type, server: event.server, secure: event.secure } };
    case 'bound':
      return {
        level: 'basic',
        message: `${event.rebind ? 'rebound' : 'bound'} on ${event.server}`,
        fields: { event: event.type, server: event.server, identity: identitySummary(event.identity), rebind: event.rebind },
      };
    case 'disconnected':
      // An unbind, destroy or pool close is routine; anything else is a failure worth an error line.
      return {
        level: event.expected ? 'basic' : 'error',
        message: `disconnected from ${event.server}`,
        fields: { event: event.type, server: event.server, expected: event.expected, reason: errorSummary(event.reason) },
      };
    case 'reconnecting':
      return {
        level: 'basic',
        message: `reconnecting to ${event.server} (attempt ${event.attempt}, in ${event.delay} ms)`,
        fields: {
          event: event.type,
          server: event.server,
          attempt: event.attempt,
          delay: event.delay,
          ...(event.reason === undefined ? {} : { reason: errorSummary(event.reason) }),
        },
      };
    case 'failover':
      return { level: 'basic', message: `failover from ${event.from} to ${event.to}`, fields: { event: event.type, from: event.from, to: event.to } };
    case 'unavailable':
      return { level: 'error', message: 'no server available', fields: { event: event.type, reason: errorSummary(event.reason) } };
  }
};

/** The identity's fields copied one by one, so a field added to BoundIdentity later is not logged unseen. */
const identitySummary = (identity: BoundIdentity | undefined): LogFields | undefined => {
  if (identity === undefined) return undefined;
  if (identity.method === 'simple') return { method: 'simple', dn: identity.dn };
  return {
    method: 'sasl',
    mechanism: identity.mechanism,
    ...(identity.authzId === undefined ? {} : { authzId: identity.authzId }),
    ...(identity.username === undefined ? {} : { username: identity.username }),
  };
};

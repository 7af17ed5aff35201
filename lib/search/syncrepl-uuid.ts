import { SYNC_UUID_LENGTH } from '../protocol/controls/sync';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The canonical text of a syncUUID (RFC 4530 / RFC 4122: 8-4-4-4-12 lowercase hex), the form
 * the entryUUID attribute has in a search result, so events can be matched against entries.
 */
export const syncUUIDToString = (uuid: Buffer): string => {
  if (uuid.length !== SYNC_UUID_LENGTH) throw new RangeError(`a syncUUID has ${SYNC_UUID_LENGTH} octets, not ${uuid.length}`);
  const hex = uuid.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The 16 octets of an entryUUID given as text (any case); a TypeError for anything else. */
export const syncUUIDFromString = (text: string): Buffer => {
  if (!UUID_TEXT.test(text)) throw new TypeError(`not a UUID: ${JSON.stringify(text)}`);
  return Buffer.from(text.replace(/-/g, ''), 'hex');
};

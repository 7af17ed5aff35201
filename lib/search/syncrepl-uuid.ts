import { octetAt } from '../ber/octet-at';
import { SYNC_UUID_LENGTH } from '../protocol/controls/sync';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
const uuidText = Buffer.alloc(36);

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The canonical text of a syncUUID (RFC 4530 / RFC 4122: 8-4-4-4-12 lowercase hex), the form
 * the entryUUID attribute has in a search result, so events can be matched against entries.
 */
export const syncUUIDToString = (uuid: Buffer): string => {
  if (uuid.length !== SYNC_UUID_LENGTH) throw new RangeError(`a syncUUID has ${SYNC_UUID_LENGTH} octets, not ${uuid.length}`);
  // Written into a scratch buffer and read as one flat string: a hex string, five slices and
  // their concatenation cost twice as much, and the consumer then flattened the result anyway
  // (hashing it into its pending Maps, checking it canonical for the SQLite key).
  let at = 0;
  for (let i = 0; i < SYNC_UUID_LENGTH; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) uuidText[at++] = DASH;
    const octet = octetAt(uuid, i);
    uuidText[at++] = octetAt(HEX_DIGITS, octet >> 4);
    uuidText[at++] = octetAt(HEX_DIGITS, octet & 15);
  }
  return uuidText.toString('latin1', 0, at);
};

/** The 16 octets of an entryUUID given as text (any case); a TypeError for anything else. */
export const syncUUIDFromString = (text: string): Buffer => {
  if (!UUID_TEXT.test(text)) throw new TypeError(`not a UUID: ${JSON.stringify(text)}`);
  return Buffer.from(text.replace(/-/g, ''), 'hex');
};

import { BerReader, BerWriter, MAX_INT32 } from '../../ber';
import type { ExtendedRequest } from '../types';
import { buildExtendedRequest, defineExtendedCodec, forbidExtendedValue, requireExtendedValue } from './codec';
import { ExtendedOid } from './oids';

/**
 * Cancel (RFC 3909): the request value is `SEQUENCE { cancelID MessageID }` (0..2^31-1); the
 * response has no value. The outcome is in the resultCode: success, or canceled 118's siblings
 * noSuchOperation 119, tooLate 120, cannotCancel 121 (the cancelled operation itself ends with
 * canceled 118).
 */
export const cancelCodec = defineExtendedCodec<number, void>({
  requestName: ExtendedOid.cancel,
  name: 'cancel',
  encodeRequestValue: (cancelID) => {
    if (!Number.isInteger(cancelID) || cancelID < 0 || cancelID > MAX_INT32) {
      throw new RangeError(`cancelID ${cancelID} is not a MessageID (0..${MAX_INT32})`);
    }
    return new BerWriter(16).startSequence().writeInteger(cancelID).endSequence().toBuffer();
  },
  decodeRequestValue: (value) => {
    const reader = new BerReader(requireExtendedValue(value, 'Cancel request'));
    const end = reader.enter();
    const cancelID = reader.readInteger(undefined, 0, MAX_INT32, end);
    reader.exit(end);
    reader.expectEnd();
    return cancelID;
  },
  encodeResponseValue: () => undefined,
  decodeResponseValue: (value) => forbidExtendedValue(value, 'Cancel response'),
});

/** A Cancel request for the operation with messageID `cancelID`. */
export const cancelRequest = (cancelID: number): ExtendedRequest => buildExtendedRequest(cancelCodec, cancelID);

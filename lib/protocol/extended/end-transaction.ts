import { BerReader, BerWriter, MAX_INT32, Tag } from '../../ber';
import type { RawControl } from '../controls/types';
import type { ExtendedRequest } from '../types';
import { buildExtendedRequest, defineExtendedCodec, isAbsent, requireExtendedValue } from './codec';
import { ExtendedOid } from './oids';

/** RFC 5805 txnEndReq ::= SEQUENCE { commit BOOLEAN DEFAULT TRUE, identifier OCTET STRING } */
export interface EndTransactionRequestValue {
  /** The identifier from the Start Transaction response. */
  identifier: Buffer;
  /** TRUE commits, FALSE aborts. */
  commit: boolean;
}

/** The response controls of one update in the transaction, as the server returned them. */
export interface EndTransactionUpdateControls {
  messageId: number;
  /**
   * Kept raw (the value's octets undecoded): they belong to several operations and directions.
   * Pass one through the control registry's decodeControl(oid, criticality, value, 'response')
   * for a typed control.
   */
  controls: RawControl[];
}

/**
 * RFC 5805 txnEndRes ::= SEQUENCE { messageID MessageID OPTIONAL,
 *   updatesControls SEQUENCE OF updateControls SEQUENCE { messageID MessageID, controls Controls } OPTIONAL }
 */
export interface EndTransactionResponseValue {
  /** On failure, the messageID of the update request that caused it. */
  messageId?: number;
  updatesControls?: EndTransactionUpdateControls[];
}

const writeControls = (writer: BerWriter, controls: readonly RawControl[]): void => {
  writer.startSequence();
  for (const control of controls) {
    writer.startSequence().writeString(control.oid);
    if (control.criticality) writer.writeBoolean(true);
    if (control.value !== undefined) writer.writeOctetString(control.value);
    writer.endSequence();
  }
  writer.endSequence();
};

/** Controls ::= SEQUENCE OF Control; Control ::= SEQUENCE { controlType, criticality DEFAULT FALSE, controlValue OPT } */
const readControls = (reader: BerReader, limit: number): RawControl[] => {
  const controls: RawControl[] = [];
  const end = reader.enter(Tag.SEQUENCE, limit);
  while (reader.pos < end) {
    const controlEnd = reader.enter(Tag.SEQUENCE, end);
    const oid = reader.readString(Tag.OCTET_STRING, controlEnd);
    // DEFAULT FALSE: senders leave it out, but an explicit FALSE is valid BER and is accepted.
    const criticality = reader.peekTag(controlEnd) === Tag.BOOLEAN ? reader.readBoolean(Tag.BOOLEAN, controlEnd) : false;
    const control: RawControl = { type: 'raw', oid, criticality };
    if (reader.pos < controlEnd) control.value = reader.readOctetString(Tag.OCTET_STRING, controlEnd);
    reader.exit(controlEnd);
    controls.push(control);
  }
  reader.exit(end);
  return controls;
};

const checkMessageId = (messageId: number, what: string): void => {
  if (!Number.isInteger(messageId) || messageId < 0 || messageId > MAX_INT32) {
    throw new RangeError(`${what} ${messageId} is not a MessageID (0..${MAX_INT32})`);
  }
};

/**
 * End Transaction (RFC 5805 §2.3). The request leaves commit out when it is TRUE (its DEFAULT).
 * The response value is optional as a whole, and so is each field in it; absent decodes as {}.
 */
export const endTransactionCodec = defineExtendedCodec<EndTransactionRequestValue, EndTransactionResponseValue>({
  requestName: ExtendedOid.endTransaction,
  name: 'endTransaction',
  encodeRequestValue: ({ identifier, commit }) => {
    const writer = new BerWriter(16 + identifier.length).startSequence();
    if (!commit) writer.writeBoolean(false);
    return writer.writeOctetString(identifier).endSequence().toBuffer();
  },
  decodeRequestValue: (value) => {
    const reader = new BerReader(requireExtendedValue(value, 'End Transaction request'));
    const end = reader.enter();
    // DEFAULT TRUE: an explicit TRUE is accepted as well as an absent one.
    const commit = reader.peekTag(end) === Tag.BOOLEAN ? reader.readBoolean(Tag.BOOLEAN, end) : true;
    const identifier = reader.readOctetString(Tag.OCTET_STRING, end);
    reader.exit(end);
    reader.expectEnd();
    return { identifier, commit };
  },
  encodeResponseValue: ({ messageId, updatesControls }) => {
    if (messageId === undefined && updatesControls === undefined) return undefined;
    const writer = new BerWriter(64).startSequence();
    if (messageId !== undefined) {
      checkMessageId(messageId, 'messageID');
      writer.writeInteger(messageId);
    }
    if (updatesControls !== undefined) {
      writer.startSequence();
      for (const update of updatesControls) {
        checkMessageId(update.messageId, 'updateControls messageID');
        writer.startSequence().writeInteger(update.messageId);
        writeControls(writer, update.controls);
        writer.endSequence();
      }
      writer.endSequence();
    }
    return writer.endSequence().toBuffer();
  },
  decodeResponseValue: (value) => {
    const result: EndTransactionResponseValue = {};
    if (isAbsent(value)) return result;
    const reader = new BerReader(value);
    const end = reader.enter();
    if (reader.peekTag(end) === Tag.INTEGER) result.messageId = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, end);
    if (reader.pos < end) {
      const updates: EndTransactionUpdateControls[] = [];
      const listEnd = reader.enter(Tag.SEQUENCE, end);
      while (reader.pos < listEnd) {
        const updateEnd = reader.enter(Tag.SEQUENCE, listEnd);
        const messageId = reader.readInteger(Tag.INTEGER, 0, MAX_INT32, updateEnd);
        const controls = readControls(reader, updateEnd);
        reader.exit(updateEnd);
        updates.push({ messageId, controls });
      }
      reader.exit(listEnd);
      result.updatesControls = updates;
    }
    reader.exit(end);
    reader.expectEnd();
    return result;
  },
});

/** An End Transaction request: commit (the default) or abort the transaction `identifier`. */
export const endTransactionRequest = (identifier: Buffer, commit = true): ExtendedRequest =>
  buildExtendedRequest(endTransactionCodec, { identifier, commit });

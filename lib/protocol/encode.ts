import { BerWriter, Tag, ctxConstructed, ctxPrimitive } from '../ber';
import { controlOid, encodeControlValue } from './controls/registry';
import type { Control } from './controls/types';
import { writeFilter } from './filter-codec';
import { DEREF_ALIASES, MODIFY_OPERATIONS, OpTag, SCOPES } from './op-tags';
import type { LdapMessage, LdapResult, PartialAttribute, ProtocolOp } from './types';

/** Encodes one LDAPMessage; the Buffer is freshly allocated and owned by the caller. */
export const encodeMessage = (message: LdapMessage): Buffer => {
  const writer = new BerWriter(256);
  writeMessage(writer, message);
  return writer.toBuffer();
};

/** Appends one LDAPMessage to `writer` (lets a caller batch several into one buffer). */
export const writeMessage = (writer: BerWriter, message: LdapMessage): void => {
  writer.startSequence().writeInteger(message.messageId);
  writeProtocolOp(writer, message.protocolOp);
  if (message.controls !== undefined && message.controls.length > 0) writeControls(writer, message.controls);
  writer.endSequence();
};

const writeControls = (writer: BerWriter, controls: readonly Control[]): void => {
  writer.startSequence(ctxConstructed(0));
  for (const control of controls) {
    writer.startSequence().writeString(controlOid(control));
    if (control.criticality) writer.writeBoolean(true); // FALSE is the DEFAULT and is left out
    const value = encodeControlValue(control);
    if (value !== undefined) writer.writeOctetString(value);
    writer.endSequence();
  }
  writer.endSequence();
};

const indexOf = <T>(names: readonly T[], name: T, what: string): number => {
  const index = names.indexOf(name);
  if (index < 0) throw new TypeError(`unknown ${what} '${String(name)}'`);
  return index;
};

const writeResult = (writer: BerWriter, result: LdapResult): void => {
  writer.writeEnumerated(result.resultCode).writeString(result.matchedDN).writeString(result.diagnosticMessage);
  if (result.referral !== undefined) writeStringList(writer, ctxConstructed(3), result.referral);
};

const writeStringList = (writer: BerWriter, tag: number, list: readonly string[]): void => {
  writer.startSequence(tag);
  for (const item of list) writer.writeString(item);
  writer.endSequence();
};

const writeAttribute = (writer: BerWriter, attribute: PartialAttribute): void => {
  writer.startSequence().writeString(attribute.type).startSequence(Tag.SET);
  for (const value of attribute.vals) writer.writeOctetString(value);
  writer.endSequence().endSequence();
};

const writeAttributeList = (writer: BerWriter, attributes: readonly PartialAttribute[]): void => {
  writer.startSequence();
  for (const attribute of attributes) writeAttribute(writer, attribute);
  writer.endSequence();
};

const writeProtocolOp = (writer: BerWriter, op: ProtocolOp): void => {
  const tag = OpTag[op.type];
  switch (op.type) {
    case 'bindRequest':
      writer.startSequence(tag).writeInteger(op.version).writeString(op.name);
      if (op.authentication.type === 'simple') {
        writer.writeOctetString(op.authentication.simple, ctxPrimitive(0));
      } else {
        writer.startSequence(ctxConstructed(3)).writeString(op.authentication.mechanism);
        if (op.authentication.credentials !== undefined) writer.writeOctetString(op.authentication.credentials);
        writer.endSequence();
      }
      writer.endSequence();
      return;
    case 'bindResponse':
      writer.startSequence(tag);
      writeResult(writer, op);
      if (op.serverSaslCreds !== undefined) writer.writeOctetString(op.serverSaslCreds, ctxPrimitive(7));
      writer.endSequence();
      return;
    case 'unbindRequest':
      writer.writeNull(tag);
      return;
    case 'searchRequest':
      writer
        .startSequence(tag)
        .writeString(op.baseObject)
        .writeEnumerated(indexOf(SCOPES, op.scope, 'search scope'))
        .writeEnumerated(indexOf(DEREF_ALIASES, op.derefAliases, 'derefAliases value'))
        .writeInteger(op.sizeLimit)
        .writeInteger(op.timeLimit)
        .writeBoolean(op.typesOnly);
      writeFilter(writer, op.filter);
      writeStringList(writer, Tag.SEQUENCE, op.attributes);
      writer.endSequence();
      return;
    case 'searchResEntry':
      writer.startSequence(tag).writeString(op.objectName);
      writeAttributeList(writer, op.attributes);
      writer.endSequence();
      return;
    case 'searchResRef':
      writeStringList(writer, tag, op.uris);
      return;
    case 'searchResDone':
    case 'modifyResponse':
    case 'addResponse':
    case 'delResponse':
    case 'modDNResponse':
    case 'compareResponse':
      writer.startSequence(tag);
      writeResult(writer, op);
      writer.endSequence();
      return;
    case 'modifyRequest':
      writer.startSequence(tag).writeString(op.object).startSequence();
      for (const change of op.changes) {
        writer.startSequence().writeEnumerated(indexOf(MODIFY_OPERATIONS, change.operation, 'modify operation'));
        writeAttribute(writer, change.modification);
        writer.endSequence();
      }
      writer.endSequence().endSequence();
      return;
    case 'addRequest':
      writer.startSequence(tag).writeString(op.entry);
      writeAttributeList(writer, op.attributes);
      writer.endSequence();
      return;
    case 'delRequest':
      writer.writeString(op.entry, tag);
      return;
    case 'modDNRequest':
      writer.startSequence(tag).writeString(op.entry).writeString(op.newrdn).writeBoolean(op.deleteoldrdn);
      if (op.newSuperior !== undefined) writer.writeString(op.newSuperior, ctxPrimitive(0));
      writer.endSequence();
      return;
    case 'compareRequest':
      writer
        .startSequence(tag)
        .writeString(op.entry)
        .startSequence()
        .writeString(op.ava.attributeDesc)
        .writeOctetString(op.ava.assertionValue)
        .endSequence()
        .endSequence();
      return;
    case 'abandonRequest':
      writer.writeInteger(op.idToAbandon, tag);
      return;
    case 'extendedReq':
      writer.startSequence(tag).writeString(op.requestName, ctxPrimitive(0));
      if (op.requestValue !== undefined) writer.writeOctetString(op.requestValue, ctxPrimitive(1));
      writer.endSequence();
      return;
    case 'extendedResp':
      writer.startSequence(tag);
      writeResult(writer, op);
      if (op.responseName !== undefined) writer.writeString(op.responseName, ctxPrimitive(10));
      if (op.responseValue !== undefined) writer.writeOctetString(op.responseValue, ctxPrimitive(11));
      writer.endSequence();
      return;
    case 'intermediateResponse':
      writer.startSequence(tag);
      if (op.responseName !== undefined) writer.writeString(op.responseName, ctxPrimitive(0));
      if (op.responseValue !== undefined) writer.writeOctetString(op.responseValue, ctxPrimitive(1));
      writer.endSequence();
      return;
  }
};

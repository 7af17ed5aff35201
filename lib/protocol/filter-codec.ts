import { BerReader, BerWriter, ctxConstructed, ctxPrimitive, formatTag } from '../ber';
import { checkFilterDepth, filterValueBytes, type Filter, type AttributeValueAssertion } from './filter-types';

/** Context tags of the Filter CHOICE (RFC 4511 §4.5.1). */
const AND = ctxConstructed(0);
const OR = ctxConstructed(1);
const NOT = ctxConstructed(2);
const EQUALITY = ctxConstructed(3);
const SUBSTRINGS = ctxConstructed(4);
const GREATER_OR_EQUAL = ctxConstructed(5);
const LESS_OR_EQUAL = ctxConstructed(6);
const PRESENT = ctxPrimitive(7);
const APPROX = ctxConstructed(8);
const EXTENSIBLE = ctxConstructed(9);

const writeAva = (writer: BerWriter, tag: number, ava: AttributeValueAssertion): void => {
  writer.startSequence(tag).writeString(ava.attributeDesc).writeOctetString(filterValueBytes(ava.assertionValue)).endSequence();
};

/** Writes a filter; one nested deeper than FILTER_DEPTH_LIMIT is an InvalidFilterError. */
export const writeFilter = (writer: BerWriter, filter: Filter): void => writeNested(writer, filter, 1);

const writeNested = (writer: BerWriter, filter: Filter, depth: number): void => {
  checkFilterDepth(depth, filter);
  switch (filter.type) {
    case 'and':
    case 'or':
      writer.startSequence(filter.type === 'and' ? AND : OR);
      for (const child of filter.filters) writeNested(writer, child, depth + 1);
      writer.endSequence();
      return;
    case 'not':
      writer.startSequence(NOT);
      writeNested(writer, filter.filter, depth + 1);
      writer.endSequence();
      return;
    case 'equalityMatch':
      return writeAva(writer, EQUALITY, filter);
    case 'greaterOrEqual':
      return writeAva(writer, GREATER_OR_EQUAL, filter);
    case 'lessOrEqual':
      return writeAva(writer, LESS_OR_EQUAL, filter);
    case 'approxMatch':
      return writeAva(writer, APPROX, filter);
    case 'present':
      writer.writeString(filter.attribute, PRESENT);
      return;
    case 'substrings':
      writer.startSequence(SUBSTRINGS).writeString(filter.attribute).startSequence();
      if (filter.initial !== undefined) writer.writeOctetString(filterValueBytes(filter.initial), ctxPrimitive(0));
      for (const part of filter.any) writer.writeOctetString(filterValueBytes(part), ctxPrimitive(1));
      if (filter.final !== undefined) writer.writeOctetString(filterValueBytes(filter.final), ctxPrimitive(2));
      writer.endSequence().endSequence();
      return;
    case 'extensibleMatch':
      writer.startSequence(EXTENSIBLE);
      if (filter.matchingRule !== undefined) writer.writeString(filter.matchingRule, ctxPrimitive(1));
      if (filter.attribute !== undefined) writer.writeString(filter.attribute, ctxPrimitive(2));
      writer.writeOctetString(filterValueBytes(filter.matchValue), ctxPrimitive(3));
      if (filter.dnAttributes) writer.writeBoolean(true, ctxPrimitive(4));
      writer.endSequence();
      return;
  }
};

/** Encodes a filter as a standalone BER document (the assertion control's value). */
export const encodeFilter = (filter: Filter): Buffer => {
  const writer = new BerWriter(64);
  writeFilter(writer, filter);
  return writer.toBuffer();
};

const readAva = (reader: BerReader, tag: number): AttributeValueAssertion => {
  const end = reader.enter(tag);
  const attributeDesc = reader.readString(undefined, end);
  const assertionValue = reader.readOctetString(undefined, end);
  reader.exit(end);
  return { attributeDesc, assertionValue };
};

const readSubstrings = (reader: BerReader): Filter => {
  const end = reader.enter(SUBSTRINGS);
  const attribute = reader.readString(undefined, end);
  const listEnd = reader.enter(undefined, end);
  let initial: Buffer | undefined;
  let final: Buffer | undefined;
  const any: Buffer[] = [];
  if (reader.pos === listEnd) throw reader.error('substrings filter has no substrings');
  while (reader.pos < listEnd) {
    const tag = reader.peekTag(listEnd);
    if (final !== undefined) throw reader.error('substrings filter has a substring after final');
    if (tag === ctxPrimitive(0)) {
      if (initial !== undefined || any.length > 0) throw reader.error('substrings filter initial is not first');
      initial = reader.readOctetString(tag, listEnd);
    } else if (tag === ctxPrimitive(1)) {
      any.push(reader.readOctetString(tag, listEnd));
    } else if (tag === ctxPrimitive(2)) {
      final = reader.readOctetString(tag, listEnd);
    } else {
      throw reader.error(`unknown substring choice ${formatTag(tag)}`);
    }
  }
  reader.exit(listEnd);
  reader.exit(end);
  const result: Filter = { type: 'substrings', attribute, any };
  if (initial !== undefined) result.initial = initial;
  if (final !== undefined) result.final = final;
  return result;
};

const readExtensible = (reader: BerReader): Filter => {
  const end = reader.enter(EXTENSIBLE);
  let matchingRule: string | undefined;
  let attribute: string | undefined;
  if (reader.peekTag(end) === ctxPrimitive(1)) matchingRule = reader.readString(ctxPrimitive(1), end);
  if (reader.peekTag(end) === ctxPrimitive(2)) attribute = reader.readString(ctxPrimitive(2), end);
  const matchValue = reader.readOctetString(ctxPrimitive(3), end);
  const dnAttributes = reader.peekTag(end) === ctxPrimitive(4) ? reader.readBoolean(ctxPrimitive(4), end) : false;
  reader.exit(end);
  if (matchingRule === undefined && attribute === undefined) {
    throw reader.error('extensibleMatch needs a matchingRule or a type');
  }
  const result: Filter = { type: 'extensibleMatch', matchValue, dnAttributes };
  if (matchingRule !== undefined) result.matchingRule = matchingRule;
  if (attribute !== undefined) result.attribute = attribute;
  return result;
};

/** Reads one Filter at the reader's cursor; nesting is bounded by the reader's depth limit. */
export const readFilter = (reader: BerReader, limit = reader.end): Filter => {
  const tag = reader.peekTag(limit);
  switch (tag) {
    case AND:
    case OR: {
      const end = reader.enter(tag, limit);
      const filters: Filter[] = [];
      while (reader.pos < end) filters.push(readFilter(reader, end));
      reader.exit(end);
      return { type: tag === AND ? 'and' : 'or', filters };
    }
    case NOT: {
      const end = reader.enter(NOT, limit);
      const filter = readFilter(reader, end);
      reader.exit(end);
      return { type: 'not', filter };
    }
    case EQUALITY:
      return { type: 'equalityMatch', ...readAva(reader, tag) };
    case GREATER_OR_EQUAL:
      return { type: 'greaterOrEqual', ...readAva(reader, tag) };
    case LESS_OR_EQUAL:
      return { type: 'lessOrEqual', ...readAva(reader, tag) };
    case APPROX:
      return { type: 'approxMatch', ...readAva(reader, tag) };
    case PRESENT:
      return { type: 'present', attribute: reader.readString(PRESENT, limit) };
    case SUBSTRINGS:
      return readSubstrings(reader);
    case EXTENSIBLE:
      return readExtensible(reader);
    case -1:
      throw reader.error('filter expected but the data ended');
    default:
      throw reader.error(`unknown filter choice ${formatTag(tag)}`);
  }
};

/** Decodes a standalone filter document (the assertion control's value). */
export const decodeFilter = (value: Buffer): Filter => {
  const reader = new BerReader(value);
  const filter = readFilter(reader);
  reader.expectEnd();
  return filter;
};

import type { PartialAttribute } from './deps';
import type { StoredEntry } from './entry';
import type { Schema } from './schema/schema';

/**
 * Operational attributes (RFC 4512 §3.4, RFC 4530, RFC 5020, slapd's entryCSN and
 * hasSubordinates): derived from what the directory keeps about each entry, in slapd's order.
 */

/** Attributes the directory keeps itself: taken from loaded data (slapcat output), refused from clients. */
export const META_ATTRIBUTES: ReadonlySet<string> = new Set([
  'entryuuid', 'entrycsn', 'createtimestamp', 'modifytimestamp', 'creatorsname', 'modifiersname',
  // Derived on every read; a loaded value would only go stale.
  'entrydn', 'subschemasubentry', 'hassubordinates', 'structuralobjectclass', 'contextcsn', 'numsubordinates',
]);

export interface GivenMeta {
  uuid?: Buffer;
  csn?: string;
  createTimestamp?: string;
  modifyTimestamp?: string;
  creatorsName?: string;
  modifiersName?: string;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The meta values loaded data carries (an entryUUID in RFC 4122 text, the rest as text). */
export const metaFromAttributes = (attributes: readonly PartialAttribute[]): GivenMeta => {
  const given: GivenMeta = {};
  for (const { type, vals } of attributes) {
    const value = vals[0]?.toString('utf8');
    if (value === undefined) continue;
    switch (type.toLowerCase()) {
      case 'entryuuid':
        if (UUID_TEXT.test(value)) given.uuid = Buffer.from(value.replace(/-/g, ''), 'hex');
        break;
      case 'entrycsn':
        given.csn = value;
        break;
      case 'createtimestamp':
        given.createTimestamp = value;
        break;
      case 'modifytimestamp':
        given.modifyTimestamp = value;
        break;
      case 'creatorsname':
        given.creatorsName = value;
        break;
      case 'modifiersname':
        given.modifiersName = value;
        break;
      default:
    }
  }
  return given;
};

/** RFC 4122 text of a 16-octet UUID. */
export const uuidText = (uuid: Buffer): string => {
  const hex = uuid.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The most specific structural class among the entry's object classes (slapd's structuralObjectClass). */
export const structuralObjectClassOf = (schema: Schema, entry: StoredEntry): string | undefined => {
  let most: ReturnType<Schema['objectClass']>;
  for (const name of entry.objectClasses()) {
    const objectClass = schema.objectClass(name);
    if (objectClass?.kind !== 'STRUCTURAL') continue;
    if (most === undefined || objectClass.chain.has(most.key)) most = objectClass;
  }
  return most?.name;
};

export interface OperationalContext {
  readonly schema: Schema;
  hasChildren(entry: StoredEntry): boolean;
  /** The contextCSN when the entry is a naming context, else undefined. */
  contextCSN(entry: StoredEntry): string | undefined;
}

const text = (type: string, ...values: string[]): PartialAttribute => ({ type, vals: values.map((value) => Buffer.from(value, 'utf8')) });

export const SUBSCHEMA_DN = 'cn=Subschema';

/** Every operational attribute of an entry, as `+` returns them. */
export const operationalAttributes = (context: OperationalContext, entry: StoredEntry): PartialAttribute[] => {
  const { meta } = entry;
  const attributes: PartialAttribute[] = [];
  const structural = structuralObjectClassOf(context.schema, entry);
  if (structural !== undefined) attributes.push(text('structuralObjectClass', structural));
  attributes.push(
    text('entryUUID', uuidText(meta.uuid)),
    text('creatorsName', meta.creatorsName),
    text('createTimestamp', meta.createTimestamp),
    text('entryCSN', meta.csn),
    text('modifiersName', meta.modifiersName),
    text('modifyTimestamp', meta.modifyTimestamp),
  );
  const contextCSN = context.contextCSN(entry);
  if (contextCSN !== undefined) attributes.push(text('contextCSN', contextCSN));
  attributes.push(...entry.operational);
  attributes.push(
    text('entryDN', entry.dnText),
    text('subschemaSubentry', SUBSCHEMA_DN),
    text('hasSubordinates', context.hasChildren(entry) ? 'TRUE' : 'FALSE'),
  );
  return attributes;
};

import type { PartialAttribute } from './deps';
import { META } from './entry';
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

export interface OperationalContext {
  readonly schema: Schema;
  hasChildren(entry: StoredEntry): boolean;
  /** The contextCSN when the entry is a naming context, else undefined. */
  contextCSN(entry: StoredEntry): string | undefined;
}

const text = (type: string, ...values: string[]): PartialAttribute => ({ type, vals: values.map((value) => Buffer.from(value, 'utf8')) });

export const SUBSCHEMA_DN = 'cn=Subschema';

/** One attribute of an entry as read, and whether it is operational. */
export interface ViewedAttribute {
  readonly attribute: PartialAttribute;
  readonly operational: boolean;
}

/**
 * Every attribute of an entry, user and operational, in the order slapd returns them: the stored
 * ones in the entry's layout (with the meta it keeps in their places), then those computed on
 * every read (entryDN, subschemaSubentry, contextCSN of a naming context, hasSubordinates).
 */
export const viewEntry = (context: OperationalContext, entry: StoredEntry): ViewedAttribute[] => {
  const { meta } = entry;
  const computed: Readonly<Record<string, PartialAttribute | undefined>> = {
    [META.structuralObjectClass]: meta.structuralObjectClass === undefined ? undefined : text('structuralObjectClass', meta.structuralObjectClass),
    [META.entryUUID]: text('entryUUID', uuidText(meta.uuid)),
    [META.creatorsName]: text('creatorsName', meta.creatorsName),
    [META.createTimestamp]: text('createTimestamp', meta.createTimestamp),
    [META.entryCSN]: text('entryCSN', meta.csn),
    [META.modifiersName]: text('modifiersName', meta.modifiersName),
    [META.modifyTimestamp]: text('modifyTimestamp', meta.modifyTimestamp),
  };
  const view: ViewedAttribute[] = [];
  for (const key of entry.layout) {
    if (key.startsWith('@')) {
      const attribute = computed[key];
      if (attribute !== undefined) view.push({ attribute, operational: true });
      continue;
    }
    const attribute = entry.attribute(key);
    if (attribute !== undefined) view.push({ attribute, operational: context.schema.attributeType(key.split(';')[0] ?? key)?.operational === true });
  }
  view.push({ attribute: text('entryDN', entry.dnText), operational: true }, { attribute: text('subschemaSubentry', SUBSCHEMA_DN), operational: true });
  const contextCSN = context.contextCSN(entry);
  if (contextCSN !== undefined) view.push({ attribute: text('contextCSN', contextCSN), operational: true });
  view.push({ attribute: text('hasSubordinates', context.hasChildren(entry) ? 'TRUE' : 'FALSE'), operational: true });
  return view;
};

/** Every operational attribute of an entry, as `+` returns them. */
export const operationalAttributes = (context: OperationalContext, entry: StoredEntry): PartialAttribute[] =>
  viewEntry(context, entry)
    .filter((viewed) => viewed.operational)
    .map((viewed) => viewed.attribute);

/** The filter.* kinds, run through lib/filter. */
import { expect } from 'chai';
import { escapeFilterValue, filter, filterToString, matches, parseFilter } from '../../../lib/filter';
import type { FilterTemplateValue } from '../../../lib/filter';
import type { Filter } from '../../../lib/protocol';
import type { PeerVector } from './load';
import { wanted, wantsError } from './load';
import { bytesOf, comparable, refusal } from './values';

const VALUE_FIELDS = new Set(['assertionValue', 'matchValue', 'initial', 'final']);

/** A filter AST as the vectors write it (values as strings or `{ hex }`), with values as bytes. */
const toFilter = (node: unknown): Filter => {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(node as Record<string, unknown>)) {
    if (VALUE_FIELDS.has(key)) out[key] = bytesOf(field);
    else if (key === 'any') out[key] = (field as unknown[]).map(bytesOf);
    else if (key === 'filters') out[key] = (field as unknown[]).map(toFilter);
    else if (key === 'filter') out[key] = toFilter(field);
    else out[key] = field;
  }
  return out as unknown as Filter;
};

const utf8 = (value: unknown): string | null => (Buffer.isBuffer(value) ? value.toString('utf8') : null);

/**
 * The ldapjs property paths the `partial` checks use, read off rxldap's AST: `attr` is the
 * attribute of any kind of node, `value` an assertion value as text, absent parts are null.
 */
const readPath = (parsed: Filter, path: string): unknown => {
  const node = parsed as unknown as Record<string, unknown>;
  switch (path) {
    case 'type':
      return parsed.type;
    case 'filters.length':
      return (node.filters as unknown[]).length;
    case 'any.length':
      return (node.any as unknown[]).length;
    case 'attr':
      return node.attributeDesc ?? node.attribute;
    case 'value':
      return utf8(node.assertionValue ?? node.matchValue);
    case 'initial':
    case 'final':
      return utf8(node[path]);
    default:
      throw new Error(`unknown partial path ${path}`);
  }
};

/** Two filter strings that read back to the same AST. */
const expectSameFilter = (actual: string, expected: string): void => {
  expect(comparable(parseFilter(actual)), `${actual} reads back as ${expected} does`).to.deep.equal(comparable(parseFilter(expected)));
};

const templateValue = (value: unknown): FilterTemplateValue => {
  if (typeof value === 'string') return value;
  const tagged = value as { num?: number; bool?: boolean; hex?: string };
  if (tagged.num !== undefined) return tagged.num;
  if (tagged.bool !== undefined) return tagged.bool;
  return bytesOf(value);
};

const expectedString = (vector: PeerVector): string => (wanted(vector) as { string: string }).string;

export const filterChecks: Record<string, (vector: PeerVector) => void> = {
  'filter.parse': (vector) => {
    const want = wanted(vector) as { error?: boolean; filter?: unknown; partial?: Array<[string, unknown]> };
    const input = vector.input as string;
    if (wantsError(want)) {
      refusal(() => parseFilter(input));
    } else if (want.filter !== undefined) {
      expect(comparable(parseFilter(input))).to.deep.equal(comparable(toFilter(want.filter)));
    } else {
      const parsed = parseFilter(input); // an empty `partial` list: it must parse
      for (const [path, value] of want.partial ?? []) {
        // Text is compared by what it reads back as: RFC 4515 §3 lets any character be escaped,
        // so ldapjs keeping the input's `\20` and rxldap writing a space are both right.
        if (path === 'toString()') expectSameFilter(filterToString(parsed), value as string);
        else expect(readPath(parsed, path), path).to.deep.equal(value);
      }
    }
  },
  'filter.format': (vector) => {
    const want = wanted(vector);
    const format = (): string => (typeof vector.input === 'string' ? filterToString(parseFilter(vector.input)) : filterToString(toFilter(vector.input)));
    if (wantsError(want)) refusal(format);
    else if (vector.compare === 'semantic') expectSameFilter(format(), expectedString(vector));
    else expect(format()).to.equal(expectedString(vector));
  },
  'filter.escape': (vector) => {
    const input = typeof vector.input === 'string' ? vector.input : bytesOf(vector.input);
    const escaped = escapeFilterValue(input);
    if (vector.compare !== 'semantic') {
      expect(escaped).to.equal(expectedString(vector));
      return;
    }
    expectSameFilter(`(x=${escaped})`, `(x=${expectedString(vector)})`);
    const parsed = parseFilter(`(x=${escaped})`) as { assertionValue: Buffer };
    expect(parsed.assertionValue.equals(Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8')), 'reads back as the input').to.equal(true);
  },
  'filter.template': (vector) => {
    const parts = vector.parts ?? [];
    const strings = Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
    expect(filterToString(filter(strings, ...(vector.values ?? []).map(templateValue)))).to.equal(expectedString(vector));
  },
  'filter.match': (vector) => {
    const entry = vector.entry ?? { dn: '', attrs: {} };
    const attributes = Object.entries(entry.attrs).map(([type, values]) => ({ type, vals: values.map((value) => Buffer.from(value, 'utf8')) }));
    // Most cases give the filter as text; UnboundID's give its AST (values as text or `{ hex }`).
    const parsed = typeof vector.filter === 'string' ? parseFilter(vector.filter) : toFilter(vector.filter);
    expect(matches(parsed, { objectName: entry.dn, attributes })).to.equal(wanted(vector));
  },
};

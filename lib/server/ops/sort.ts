import { findMatchingRule } from '../deps';
import type { PartialAttribute, SortKey } from '../deps';
import type { StoredEntry } from '../entry';
import { resolveName } from '../entry';
import { failure } from '../result';
import type { Schema } from '../schema/schema';

type Comparator = (value: Buffer) => number | undefined;

/**
 * Server-side sort (RFC 2891) as slapd's sssvlv overlay does it: each key's attribute must be
 * known (else noSuchAttribute) and have an ordering rule, its own or the one the key names
 * (else inappropriateMatching); an entry sorts by its least value of the key (its greatest when
 * reversed), and entries without the attribute sort after those with it.
 */
export const sortEntries = (
  schema: Schema,
  entries: StoredEntry[],
  keys: readonly SortKey[],
  operational: (entry: StoredEntry) => readonly PartialAttribute[],
): StoredEntry[] => {
  const plans = keys.map((key) => {
    const name = resolveName(schema, key.attributeType);
    if (name.type === undefined) throw failure('noSuchAttribute', 'serverSort control: Unrecognized attribute type in sort key');
    const ruleName = key.orderingRule ?? name.type.ordering;
    const rule = ruleName === undefined ? undefined : findMatchingRule(ruleName);
    if (rule?.usage !== 'ordering') throw failure('inappropriateMatching', 'serverSort control: No ordering rule');
    return { key: name.key, reverse: key.reverseOrder, operational: name.type.operational, rule };
  });
  /** Orders two values by a rule: its comparator is built from one value and applied to the other. */
  const compareValues = (rule: (typeof plans)[number]['rule'], a: Buffer, b: Buffer): number => {
    const against: Comparator | undefined = rule.comparator(b);
    return against?.(a) ?? Buffer.compare(a, b);
  };
  const valuesOf = (entry: StoredEntry, plan: (typeof plans)[number]): Buffer[] => {
    if (!plan.operational) return entry.attribute(plan.key)?.vals ?? [];
    const found = operational(entry).find((attribute) => resolveName(schema, attribute.type).key === plan.key);
    return found?.vals ?? [];
  };
  const decorated = entries.map((entry) => ({
    entry,
    keys: plans.map((plan) => {
      const values = valuesOf(entry, plan);
      if (values.length === 0) return undefined;
      return values.reduce((best, value) => {
        const order = compareValues(plan.rule, value, best);
        return (plan.reverse ? order > 0 : order < 0) ? value : best;
      });
    }),
  }));
  decorated.sort((a, b) => {
    let i = 0;
    for (const plan of plans) {
      const x = a.keys[i];
      const y = b.keys[i];
      i++;
      if (x === undefined && y === undefined) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const order = compareValues(plan.rule, x, y);
      if (order !== 0) return plan.reverse ? -order : order;
    }
    return 0;
  });
  return decorated.map(({ entry }) => entry);
};

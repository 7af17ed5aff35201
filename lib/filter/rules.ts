import { distinguishedNameMatch } from './dn-match';
import { LIST_AND_NUMERIC_RULES } from './list-and-numeric-rules';
import { BASIC_MATCHING_RULES, type MatchingRule } from './matching-rules';

const ALL_RULES: readonly MatchingRule[] = [...BASIC_MATCHING_RULES, ...LIST_AND_NUMERIC_RULES, distinguishedNameMatch];

/** Every matching rule evaluation knows, by OID and by each (lower-cased) name. */
const REGISTRY = new Map<string, MatchingRule>();
for (const rule of ALL_RULES) {
  REGISTRY.set(rule.oid, rule);
  for (const name of rule.names) REGISTRY.set(name.toLowerCase(), rule);
}

/** The rule an extensibleMatch or an attribute type names, or undefined when it is not known. */
export const findMatchingRule = (nameOrOid: string): MatchingRule | undefined => REGISTRY.get(nameOrOid.toLowerCase());

/** The names (first descriptor of each) of the rules evaluation supports, for documentation and tests. */
export const supportedMatchingRules = (): Array<{ name: string; oid: string }> =>
  ALL_RULES.map((rule) => ({ name: rule.names[0], oid: rule.oid }));

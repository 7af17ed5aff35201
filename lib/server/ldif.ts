import { formatLdif, LdifSyntaxError, parseLdif } from './deps';
import type { LdifRecord, PartialAttribute } from './deps';
import type { EntryInput } from './directory';

/**
 * LDIF in and out of the directory, through rxldap's own reader and writer (lib/ldif). Loading
 * takes content records (and `changetype: add` records, which say the same); any other change
 * record is refused with the line it is on, since loading is not applying changes.
 */
export const parseLdifEntries = (text: string): EntryInput[] =>
  parseLdif(text).map((record: LdifRecord) => {
    if (record.type === 'content' || record.type === 'add') {
      return { dn: record.dn, attributes: record.attributes.map(({ type, vals }) => ({ type, vals: [...vals] })) };
    }
    throw new LdifSyntaxError(record.line ?? 0, 1, `a ${record.type} change record cannot be loaded: give entries (content records) only`);
  });

/** Entries as LDIF content records, RFC 2849 style (lines folded at 76). */
export const entriesToLdif = (entries: Iterable<{ dn: string; attributes: readonly PartialAttribute[] }>): string =>
  formatLdif((function* () {
    for (const { dn, attributes } of entries) yield { type: 'content' as const, dn, attributes };
  })());

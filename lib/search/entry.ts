import { isUtf8 } from 'node:buffer';
import type { Control } from '../protocol/controls/types';
import type { LdapMessage, PartialAttribute, SearchResultEntry } from '../protocol/types';
import { formatLdifRecord } from '../ldif/write';
import type { LdifWriterOptions } from '../ldif/write';

/**
 * One search result entry. Values stay the Buffers that came off the wire; string views are
 * made on access (UTF-8), so binary attributes never pass through a string. Attribute names
 * are matched case-insensitively, as LDAP compares attribute descriptions.
 */
export class SearchEntry {
  readonly type = 'entry' as const;
  private byName: Map<string, Buffer[]> | undefined;

  constructor(
    readonly dn: string,
    readonly attributes: readonly PartialAttribute[],
    readonly controls: readonly Control[] = [],
    /** The messageID of the search that returned it. */
    readonly messageId = 0,
  ) {}

  /** The entry a searchResEntry message carries, with its controls and messageID. */
  static fromMessage(message: LdapMessage, op: SearchResultEntry): SearchEntry {
    // `new this`, not `new SearchEntry`: a class that names itself gets an inner alias from the
    // bundler (`class _SearchEntry`), and its `name` would no longer be SearchEntry.
    return new this(op.objectName, op.attributes, message.controls ?? [], message.messageId);
  }

  private index(): Map<string, Buffer[]> {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const attribute of this.attributes) {
        const key = attribute.type.toLowerCase();
        const existing = this.byName.get(key);
        if (existing === undefined) this.byName.set(key, attribute.vals);
        else this.byName.set(key, [...existing, ...attribute.vals]);
      }
    }
    return this.byName;
  }

  /** The first value as a UTF-8 string, or undefined when the attribute is absent. */
  get(name: string): string | undefined {
    return this.index().get(name.toLowerCase())?.[0]?.toString('utf8');
  }

  /** Every value as a UTF-8 string (empty when absent). */
  getAll(name: string): string[] {
    return (this.index().get(name.toLowerCase()) ?? []).map((value) => value.toString('utf8'));
  }

  /** Every value as the bytes received (empty when absent). */
  getBuffers(name: string): Buffer[] {
    return this.index().get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.index().has(name.toLowerCase());
  }

  /** Attribute descriptions as the server spelled them, in the order received. */
  get attributeNames(): string[] {
    return this.attributes.map((a) => a.type);
  }

  /**
   * The entry as an LDIF content record (RFC 2849): attributes in the order the server sent
   * them, folded at 76 columns, base64 where SAFE-STRING requires; each line ends in LF.
   * `LDAPSEARCH_LDIF` as options gives ldapsearch's output byte for byte.
   */
  toLDIF(options?: LdifWriterOptions): string {
    return formatLdifRecord(this, options);
  }

  /** `{ dn, attributes }` with UTF-8 values as strings and other values as base64 (`name;base64`). */
  toJSON(): { dn: string; attributes: Record<string, string[]> } {
    const attributes: Record<string, string[]> = {};
    for (const attribute of this.attributes) {
      const binary = attribute.vals.some((value) => !isUtf8(value));
      const key = binary ? `${attribute.type};base64` : attribute.type;
      attributes[key] = attribute.vals.map((value) => value.toString(binary ? 'base64' : 'utf8'));
    }
    return { dn: this.dn, attributes };
  }
}

/** A search continuation reference (searchResRef): where the rest of the search may be found. */
export class SearchReference {
  readonly type = 'reference' as const;
  constructor(
    readonly uris: readonly string[],
    readonly controls: readonly Control[] = [],
    readonly messageId = 0,
  ) {}
}

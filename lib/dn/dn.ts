/**
 * The DN value object: RDNs in the order written (most specific first), canonical text, and
 * comparison by the normalised form.
 */
import { InvalidDNError } from '../errors';
import { normalizeRDN } from './normalize';
import { isAttributeType, parseRDNs, parseSingleRDN } from './parse';
import { rdnToString, rdnsToString } from './serialize';
import type { AttributeTypeAndValue, RDN } from './types';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A distinguished name. Immutable: the constructor copies and freezes what it is given, so the
 * text and normalised forms can be computed once and cached.
 */
export class DN {
  /** RDNs from the entry itself up to the naming context: `rdns[0]` is the leftmost RDN. */
  readonly rdns: readonly RDN[];
  private text: string | undefined;
  private normalized: DN | undefined;
  private normalizedKeys: readonly string[] | undefined;

  /** Builds a DN from RDNs (most specific first); `new DN()` is the empty DN of the root DSE. */
  constructor(rdns: readonly RDN[] = []) {
    this.rdns = adoptingChecked ? rdns : Object.freeze(rdns.map(copyRDN));
  }

  /** The same as parseDN(text). */
  static parse(text: string): DN {
    return parseDN(text);
  }

  /** How many RDNs; 0 for the root DSE's empty DN. */
  get length(): number {
    return this.rdns.length;
  }

  /** The leftmost RDN, naming the entry within its parent; undefined for the empty DN. */
  get rdn(): RDN | undefined {
    return this.rdns[0];
  }

  /** The DN without its leftmost RDN; undefined for the empty DN, which has no parent. */
  parent(): DN | undefined {
    // filter, not slice: V8's slice takes a slow path on frozen arrays.
    return this.rdns.length === 0 ? undefined : fromChecked(this.rdns.filter((_, i) => i > 0));
  }

  /**
   * The DN of an entry directly below this one. `rdn` is an RDN, a single pair, or RDN text such
   * as `cn=x+sn=y` (which must hold exactly one RDN).
   */
  child(rdn: RDN | AttributeTypeAndValue | string): DN {
    const first = typeof rdn === 'string' ? parseSingleRDN(rdn) : isRDN(rdn) ? rdn : [rdn];
    return fromChecked([copyRDN(first), ...this.rdns]);
  }

  /**
   * This DN placed under `suffixes`, in order: `parseDN('cn=x').append('ou=people', base)` is
   * `cn=x,ou=people,<base>`. Useful for relative names built before the base is known.
   */
  append(...suffixes: Array<DN | string>): DN {
    const rdns = [...this.rdns];
    for (const suffix of suffixes) rdns.push(...toDN(suffix).rdns);
    return fromChecked(rdns);
  }

  /**
   * Whether both name the same entry, by normalised form (types by OID, values by matching rule).
   * A string is parsed first; malformed text throws InvalidDNError rather than answering false,
   * since comparing against a broken DN is a bug to surface, not a mismatch.
   */
  equals(other: DN | string): boolean {
    const that = toDN(other);
    if (that.length !== this.length) return false;
    const a = this.keys();
    const b = that.keys();
    return a.every((key, i) => key === b[i]);
  }

  /** Whether this DN is directly below `other`. */
  isChildOf(other: DN | string): boolean {
    const that = toDN(other);
    return this.length === that.length + 1 && this.endsWith(that);
  }

  /** Whether this DN is strictly below `other` (a DN is not its own descendant). */
  isDescendantOf(other: DN | string): boolean {
    const that = toDN(other);
    return this.length > that.length && this.endsWith(that);
  }

  /** Whether `other` is strictly below this DN. */
  isAncestorOf(other: DN | string): boolean {
    return toDN(other).isDescendantOf(this);
  }

  /** The normalised DN: lower-case short type names, prepared values, sorted multi-valued RDNs. */
  normalize(): DN {
    // Normalised pairs are valid by construction (known names, OIDs or lower-cased descriptors).
    this.normalized ??= fromChecked(this.rdns.map((rdn) => Object.freeze(normalizeRDN(rdn).map((atav) => Object.freeze(atav)))));
    return this.normalized;
  }

  /** Canonical text of normalize(), fit for use as a map key. */
  toNormalizedString(): string {
    return this.normalize().toString();
  }

  /** Canonical RFC 4514 text: `,` between RDNs, no optional spaces, only required escapes. */
  toString(): string {
    this.text ??= rdnsToString(this.rdns);
    return this.text;
  }

  toJSON(): string {
    return this.toString();
  }

  /** The normalised text of each RDN, compared one by one for equality and ancestry. */
  private keys(): readonly string[] {
    this.normalizedKeys ??= this.normalize().rdns.map(rdnToString);
    return this.normalizedKeys;
  }

  private endsWith(suffix: DN): boolean {
    const mine = this.keys();
    const theirs = suffix.keys();
    const offset = mine.length - theirs.length;
    return theirs.every((key, i) => key === mine[offset + i]);
  }
}

/** Parses RFC 4514 DN text; throws InvalidDNError naming the position of the first fault. */
export function parseDN(text: string): DN {
  const rdns = parseRDNs(text);
  // The parser's output is valid and freshly made: freezing it in place is all copyRDN would add.
  for (const rdn of rdns) {
    for (const atav of rdn) Object.freeze(atav);
    Object.freeze(rdn);
  }
  return fromChecked(rdns);
}

/** Whether `text` is a DN parseDN accepts. */
export function isValidDN(text: string): boolean {
  if (typeof text !== 'string') return false;
  try {
    parseRDNs(text);
    return true;
  } catch (error) {
    if (error instanceof InvalidDNError) return false;
    throw error;
  }
}

function toDN(value: DN | string): DN {
  return value instanceof DN ? value : parseDN(value);
}

function isRDN(value: RDN | AttributeTypeAndValue): value is RDN {
  return Array.isArray(value);
}

/**
 * True only while fromChecked() runs the constructor. RDNs that already belong to a DN are frozen
 * and valid, so parent(), child() and parseDN share them instead of validating and copying again;
 * the public constructor cannot reach this path.
 */
let adoptingChecked = false;

/** A DN over `rdns`, every one of which is already frozen and valid. */
function fromChecked(rdns: RDN[]): DN {
  adoptingChecked = true;
  try {
    return new DN(Object.freeze(rdns));
  } finally {
    adoptingChecked = false;
  }
}

/**
 * Validates what a caller built by hand, so that toString() always yields text parseDN accepts,
 * and copies it (Buffers too) so later changes to the caller's objects cannot reach this DN.
 */
function copyRDN(rdn: RDN): RDN {
  if (!Array.isArray(rdn) || rdn.length === 0) throw new InvalidDNError('', 0, 'an RDN needs at least one attribute type and value');
  return Object.freeze(
    rdn.map((atav: AttributeTypeAndValue): AttributeTypeAndValue => {
      const { type, value } = atav;
      if (typeof type !== 'string' || !isAttributeType(type)) {
        const text = String(type);
        throw new InvalidDNError(text, firstBadTypeChar(text), 'not an attribute type (a descriptor or a numeric OID)');
      }
      if (Buffer.isBuffer(value)) {
        if (value.length === 0) throw new InvalidDNError(`${type}=#`, type.length + 2, 'a BER-encoded (#hex) value needs at least one byte');
        return Object.freeze({ type, value: Buffer.from(value) });
      }
      if (typeof value !== 'string') throw new TypeError(`the value of ${type} must be a string or a Buffer, not ${typeof value}`);
      const surrogate = LONE_SURROGATE.exec(value);
      if (surrogate) throw new InvalidDNError(value, surrogate.index, 'unpaired UTF-16 surrogate cannot be encoded as UTF-8');
      return Object.freeze({ type, value });
    }),
  );
}

/** Where a hand-built type has a character no attribute type may hold (else its start). */
function firstBadTypeChar(type: string): number {
  const bad = /[^A-Za-z0-9.-]/.exec(type);
  return bad ? bad.index : 0;
}

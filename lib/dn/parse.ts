/**
 * The RFC 4514 §3 grammar, turning DN text into RDN arrays.
 *
 * Beyond the strict grammar it accepts what RFC 4514 §4 lets a parser recognise from older
 * specifications: `;` as an RDN separator (RFC 2253) and spaces around `,` `;` `+` `=` (RFC 1779).
 * Only U+0020 counts as such a space: a tab is a legal raw character inside a value, and
 * escapeDNValue does not escape it, so stripping tabs would corrupt values on the way back in.
 *
 * Every failure is an InvalidDNError whose position is the 0-based index of the offending
 * character; where something is missing at the end of the input, it names the construct left
 * unfinished (the `\` of an escape, the `,` or `+` with nothing after it) or the end itself.
 */
import { InvalidDNError } from '../errors';
import type { AttributeTypeAndValue, RDN } from './types';
import { decodeUtf8 } from './utf8';

const SPACE = 0x20;
const COMMA = 0x2c;
const SEMI = 0x3b;
const PLUS = 0x2b;
const EQUALS = 0x3d;
const SHARP = 0x23;
const ESC = 0x5c;
const DOT = 0x2e;
const HYPHEN = 0x2d;

/** The characters RFC 4514 `special` allows after a backslash (besides a hex pair). */
const ESCAPABLE = new Set(['"', '+', ',', ';', '<', '>', '\\', ' ', '#', '=']);

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isRdnSeparator = (c: number): boolean => c === COMMA || c === SEMI;

/** `descr / numericoid` (RFC 4512 §1.4), for validating types given outside DN text. */
const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))+)$/;

export function isAttributeType(type: string): boolean {
  return ATTRIBUTE_TYPE.test(type);
}

/** Parses a whole DN; the empty string (or only spaces) is the root DSE's empty DN. */
export function parseRDNs(text: string): RDN[] {
  return new Parser(text).distinguishedName(false);
}

/** Parses text that must hold exactly one RDN, e.g. `cn=x+sn=y` for DN.child(). */
export function parseSingleRDN(text: string): RDN {
  const [rdn] = new Parser(text).distinguishedName(true);
  if (rdn === undefined) throw new InvalidDNError(text, 0, 'expected an RDN but the text is empty');
  return rdn;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {
    if (typeof text !== 'string') throw new TypeError(`a DN must be a string, not ${typeof text}`);
  }

  distinguishedName(single: boolean): RDN[] {
    const rdns: RDN[] = [];
    this.skipSpaces();
    if (this.atEnd()) return rdns;
    for (;;) {
      rdns.push(this.relativeDistinguishedName());
      if (this.atEnd()) return rdns;
      // relativeDistinguishedName() only stops at the end or at an RDN separator.
      const separator = this.pos;
      if (single) throw this.fail(separator, 'expected a single RDN but found an RDN separator');
      this.pos++;
      this.skipSpaces();
      if (this.atEnd()) throw this.fail(separator, 'trailing RDN separator');
    }
  }

  private relativeDistinguishedName(): RDN {
    const rdn: AttributeTypeAndValue[] = [];
    for (;;) {
      rdn.push(this.attributeTypeAndValue());
      if (this.peek() !== PLUS) return rdn;
      const plus = this.pos;
      this.pos++;
      this.skipSpaces();
      if (this.atEnd()) throw this.fail(plus, "trailing '+' with no attribute after it");
    }
  }

  /** Called on a non-space character; leaves the cursor on a separator or at the end. */
  private attributeTypeAndValue(): AttributeTypeAndValue {
    const type = this.attributeType();
    const afterType = this.pos;
    this.skipSpaces();
    const c = this.peek();
    if (c !== EQUALS) {
      const bad = this.pos === afterType && c !== -1 && !isRdnSeparator(c) && c !== PLUS;
      throw this.fail(this.pos, bad ? `invalid character ${this.quote(this.pos)} in attribute type` : "expected '=' after the attribute type");
    }
    this.pos++;
    this.skipSpaces();
    const value = this.peek() === SHARP ? this.hexString() : this.string();
    return { type, value };
  }

  private attributeType(): string {
    const start = this.pos;
    const c = this.peek();
    if (isAlpha(c)) {
      // descr = keystring = ALPHA *( ALPHA / DIGIT / HYPHEN )
      do this.pos++;
      while (isAlpha(this.peek()) || isDigit(this.peek()) || this.peek() === HYPHEN);
    } else if (isDigit(c)) {
      this.numericOid();
    } else if (c === EQUALS) {
      throw this.fail(start, "missing attribute type before '='");
    } else if (isRdnSeparator(c) || c === PLUS) {
      throw this.fail(start, `empty RDN: expected an attribute type before ${this.quote(start)}`);
    } else {
      throw this.fail(start, `invalid character ${this.quote(start)}: an attribute type starts with a letter or a digit`);
    }
    return this.text.slice(start, this.pos);
  }

  /** numericoid = number 1*( DOT number ); number = DIGIT / ( LDIGIT 1*DIGIT ) */
  private numericOid(): void {
    let arcs = 0;
    for (;;) {
      const arcStart = this.pos;
      if (!isDigit(this.peek())) throw this.fail(arcStart, "expected a digit after '.' in numeric OID");
      this.pos++;
      if (this.text.charCodeAt(arcStart) === 0x30 && isDigit(this.peek())) {
        throw this.fail(arcStart, 'leading zero in a numeric OID arc');
      }
      while (isDigit(this.peek())) this.pos++;
      arcs++;
      if (this.peek() !== DOT) break;
      this.pos++;
    }
    if (arcs < 2) throw this.fail(this.pos, "a numeric OID needs at least two arcs separated by '.'");
    const c = this.peek();
    if (isAlpha(c) || c === HYPHEN) throw this.fail(this.pos, `invalid character ${this.quote(this.pos)} in numeric OID`);
  }

  /** hexstring = SHARP 1*hexpair: the BER encoding of the value, kept as bytes. */
  private hexString(): Buffer {
    const sharp = this.pos;
    this.pos++;
    const start = this.pos;
    while (isHex(this.peek())) this.pos++;
    const digits = this.pos - start;
    const c = this.peek();
    const ended = c === -1 || c === SPACE || isRdnSeparator(c) || c === PLUS;
    if (!ended) {
      // The usual cause is a text value starting with '#', which RFC 4514 says to write as '\#'.
      throw this.fail(this.pos, `invalid hex digit ${this.quote(this.pos)} in #hex value (escape a leading '#' in text as '\\#')`);
    }
    if (digits === 0) throw this.fail(sharp, "'#' starts a BER value but no hex digits follow");
    if (digits % 2 !== 0) throw this.fail(this.pos - 1, 'odd number of hex digits in #hex value');
    const bytes = Buffer.from(this.text.slice(start, this.pos), 'hex');
    this.skipSpaces();
    const next = this.peek();
    if (next !== -1 && !isRdnSeparator(next) && next !== PLUS) {
      throw this.fail(this.pos, `unexpected ${this.quote(this.pos)} after #hex value`);
    }
    return bytes;
  }

  /**
   * string = [ ( leadchar / pair ) [ *( stringchar / pair ) ( trailchar / pair ) ] ]
   *
   * Leading spaces were skipped by the caller; unescaped trailing spaces are dropped here, so
   * only escaped spaces survive at either end, as RFC 4514 requires of a serialised value.
   */
  private string(): string {
    let value = '';
    // Length of `value` up to its last character that was escaped or not a space.
    let significant = 0;
    // Bytes of the current run of \XX escapes (and where each escape starts): a multi-byte
    // character may be spelled across several escapes, so a run is decoded as a whole.
    const bytes: number[] = [];
    const bytePositions: number[] = [];
    const flush = (): void => {
      if (bytes.length === 0) return;
      const decoded = decodeUtf8(bytes);
      // decoded.index is one of the run's bytes, so it has a position; the run's end is a fallback the types ask for.
      if (!decoded.ok) throw this.fail(bytePositions[decoded.index] ?? this.pos, decoded.reason);
      value += decoded.text;
      significant = value.length;
      bytes.length = 0;
      bytePositions.length = 0;
    };
    for (;;) {
      const c = this.peek();
      if (c === -1 || isRdnSeparator(c) || c === PLUS) break;
      const at = this.pos;
      if (c === ESC) {
        const next = this.peek(at + 1);
        if (next === -1) throw this.fail(at, "unterminated escape: '\\' at the end of the DN");
        if (isHex(next)) {
          const second = this.peek(at + 2);
          if (second === -1) throw this.fail(at, `unterminated hex escape '\\${this.text[at + 1]}' at the end of the DN`);
          if (!isHex(second)) throw this.fail(at + 2, `invalid hex digit ${this.quote(at + 2)} in escape`);
          bytes.push(parseInt(this.text.slice(at + 1, at + 3), 16));
          bytePositions.push(at);
          this.pos += 3;
          continue;
        }
        const escaped = this.text.charAt(at + 1);
        if (!ESCAPABLE.has(escaped)) {
          throw this.fail(at + 1, `invalid escape: ${this.quote(at + 1)} after '\\' is neither a special character nor a hex pair`);
        }
        flush();
        value += escaped;
        significant = value.length;
        this.pos += 2;
        continue;
      }
      flush();
      if (c === 0x22 || c === 0x3c || c === 0x3e) {
        throw this.fail(at, `character ${this.quote(at)} must be escaped in an attribute value`);
      }
      if (c === 0) throw this.fail(at, 'NUL must be escaped as \\00 in an attribute value');
      let char = this.text.charAt(at);
      if (c >= 0xd800 && c <= 0xdfff) {
        const low = this.peek(at + 1);
        if (c > 0xdbff || low < 0xdc00 || low > 0xdfff) throw this.fail(at, 'unpaired UTF-16 surrogate');
        char = this.text.slice(at, at + 2);
      }
      value += char;
      this.pos += char.length;
      if (c !== SPACE) significant = value.length;
    }
    flush();
    return value.slice(0, significant);
  }

  private peek(at = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private skipSpaces(): void {
    while (this.peek() === SPACE) this.pos++;
  }

  private quote(at: number): string {
    const codePoint = this.text.codePointAt(at);
    return codePoint === undefined ? 'end of input' : JSON.stringify(String.fromCodePoint(codePoint));
  }

  private fail(position: number, reason: string): InvalidDNError {
    return new InvalidDNError(this.text, position, reason);
  }
}

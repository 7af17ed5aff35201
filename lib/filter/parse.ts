import { InvalidFilterError } from '../errors';
import { FILTER_DEPTH_LIMIT, type Filter } from '../protocol/filter-types';
import { checkAttributeDescription, checkOid, isNameChar } from './syntax';
import { withToString } from './with-to-string';

/**
 * How deep `(&(|(!…)))` may nest. The BER reader refuses more than 64 nested constructions and a
 * search request wraps its filter in two of them (LDAPMessage, SearchRequest); 32 leaves room, and
 * no hand-written filter comes close.
 */
export const DEFAULT_MAX_FILTER_DEPTH = 32;

export interface ParseFilterOptions {
  /**
   * Deepest nesting of parenthesised filters accepted; DEFAULT_MAX_FILTER_DEPTH when left out.
   * A value above FILTER_DEPTH_LIMIT (512) is treated as FILTER_DEPTH_LIMIT, so no setting lets a
   * filter overflow the stack.
   */
  maxDepth?: number;
}

const effectiveMaxDepth = (requested: number | undefined): number => {
  if (requested === undefined) return DEFAULT_MAX_FILTER_DEPTH;
  // NaN would switch the limit off: every comparison with it is false.
  if (typeof requested !== 'number' || Number.isNaN(requested)) {
    throw new TypeError(`maxDepth must be a number, not ${String(requested)}`);
  }
  return Math.min(requested, FILTER_DEPTH_LIMIT);
};

/**
 * Parses an RFC 4515 filter string. Also accepts a bare item without parentheses (`uid=jdoe`),
 * which many tools take. Nothing else is lenient: no whitespace between components, every
 * reserved character in a value escaped. Errors are InvalidFilterError with the 0-based position
 * of the offending character (for a bad escape, of its backslash).
 * The result is a plain Filter whose nodes have a non-enumerable toString() (canonical text).
 */
export const parseFilter = (text: string, options: ParseFilterOptions = {}): Filter =>
  withToString(new Parser(text, effectiveMaxDepth(options.maxDepth)).parseAll());

const LPAREN = 0x28;
const RPAREN = 0x29;
const ASTERISK = 0x2a;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const EQUALS = 0x3d;

/** A value split at its unescaped asterisks. */
interface SplitValue {
  /** Up to the first asterisk; all of the value when it has none. */
  initial: Buffer;
  /** Each part between two asterisks, with where the asterisk that ends it stands. */
  any: Array<{ bytes: Buffer; endsAt: number }>;
  /** After the last asterisk; undefined when there is none. */
  final: Buffer | undefined;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseAll(): Filter {
    // Callers from JavaScript (or from loosely typed data) can hand in anything.
    if (typeof this.text !== 'string') throw new TypeError(`a filter must be a string, not ${typeof this.text}`);
    if (this.text.length === 0) this.fail(0, 'empty filter');
    const filter = this.peek() === LPAREN ? this.parseFilter(1) : this.parseItem();
    if (this.pos < this.text.length) {
      this.fail(this.pos, this.peek() === RPAREN ? "unbalanced ')'" : 'unexpected text after the filter');
    }
    return filter;
  }

  private fail(position: number, reason: string): never {
    throw new InvalidFilterError(this.text, position, reason);
  }

  private peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  /** filter = LPAREN filtercomp RPAREN, with this.pos on the '('. */
  private parseFilter(depth: number): Filter {
    const open = this.pos;
    if (depth > this.maxDepth) this.fail(open, `filter nested deeper than ${this.maxDepth} levels`);
    this.pos++;
    let filter: Filter;
    switch (this.peek()) {
      case 0x26: // &
      case 0x7c: {
        // |
        const type = this.peek() === 0x26 ? 'and' : 'or';
        this.pos++;
        const filters: Filter[] = [];
        // RFC 4526: the list may be empty, `(&)` is absolute true and `(|)` absolute false.
        while (this.peek() === LPAREN) filters.push(this.parseFilter(depth + 1));
        filter = { type, filters };
        break;
      }
      case 0x21: // !
        this.pos++;
        if (this.peek() !== LPAREN) this.fail(this.pos, "'!' must be followed by a parenthesised filter");
        filter = { type: 'not', filter: this.parseFilter(depth + 1) };
        break;
      default:
        filter = this.parseItem();
    }
    if (this.pos >= this.text.length) this.fail(this.pos, `missing ')' to close the '(' at position ${open}`);
    if (this.peek() !== RPAREN) {
      this.fail(this.pos, filter.type === 'and' || filter.type === 'or' ? "expected '(' or ')'" : "expected ')'");
    }
    this.pos++;
    return filter;
  }

  /** item = simple / present / substring / extensible; this.pos is on its first character. */
  private parseItem(): Filter {
    const start = this.pos;
    while (this.pos < this.text.length && isNameChar(this.text.charCodeAt(this.pos))) this.pos++;
    const attribute = this.text.slice(start, this.pos);
    const next = this.peek();
    if (attribute.length === 0 && next !== COLON) this.fail(start, 'attribute description expected');
    if (attribute.length > 0) {
      const problem = checkAttributeDescription(this.text, start, this.pos);
      if (problem !== undefined) this.fail(start + problem.offset, problem.reason);
    }
    if (next === COLON) return this.parseExtensible(attribute);
    if (next === EQUALS) {
      this.pos++;
      return this.equalsItem(attribute, this.parseValue(true));
    }
    const types = { 0x7e: 'approxMatch', 0x3e: 'greaterOrEqual', 0x3c: 'lessOrEqual' } as const;
    if (next === 0x7e || next === 0x3e || next === 0x3c) {
      if (this.text.charCodeAt(this.pos + 1) !== EQUALS) this.fail(this.pos + 1, `expected '=' after '${this.text[this.pos]}'`);
      this.pos += 2;
      return { type: types[next], attributeDesc: attribute, assertionValue: this.singleValue() };
    }
    return this.fail(this.pos, "expected '=', '~=', '>=', '<=' or ':' after the attribute description");
  }

  /** `attr=…` is an equality, a present or a substrings filter depending on its asterisks. */
  private equalsItem(attribute: string, { initial, any, final }: SplitValue): Filter {
    if (final === undefined) return { type: 'equalityMatch', attributeDesc: attribute, assertionValue: initial };
    if (any.length === 0 && initial.length === 0 && final.length === 0) return { type: 'present', attribute };
    for (const { bytes, endsAt } of any) {
      if (bytes.length === 0) this.fail(endsAt, 'empty substring between two asterisks');
    }
    const filter: Filter = { type: 'substrings', attribute, any: any.map(({ bytes }) => bytes) };
    if (initial.length > 0) filter.initial = initial;
    if (final.length > 0) filter.final = final;
    return filter;
  }

  /**
   * extensible = ( attr [":dn"] [":" oid] ":=" value ) / ( [":dn"] ":" oid ":=" value ).
   * `:dn:` right after the attribute is always dnAttributes (case-insensitive, as ABNF literals are).
   */
  private parseExtensible(attribute: string): Filter {
    this.pos++; // the ':' after the attribute
    let dnAttributes = false;
    let matchingRule: string | undefined;
    if (this.text.slice(this.pos, this.pos + 2).toLowerCase() === 'dn' && this.text.charCodeAt(this.pos + 2) === COLON) {
      dnAttributes = true;
      this.pos += 3;
    }
    if (this.peek() !== EQUALS) {
      const ruleStart = this.pos;
      while (this.pos < this.text.length && isNameChar(this.text.charCodeAt(this.pos))) this.pos++;
      const problem = checkOid(this.text, ruleStart, this.pos);
      if (problem !== undefined) {
        this.fail(ruleStart + problem.offset, ruleStart === this.pos ? 'matching rule or := expected' : problem.reason);
      }
      matchingRule = this.text.slice(ruleStart, this.pos);
      if (this.peek() !== COLON) this.fail(this.pos, "expected ':=' after the matching rule");
      this.pos++;
      if (this.peek() !== EQUALS) this.fail(this.pos, "expected '=' after ':'");
    } else if (attribute.length === 0) {
      this.fail(this.pos, 'an extensible match without an attribute description needs a matching rule');
    }
    this.pos++; // the '=' of ':='
    const filter: Filter = { type: 'extensibleMatch', matchValue: this.singleValue(), dnAttributes };
    if (matchingRule !== undefined) filter.matchingRule = matchingRule;
    if (attribute.length > 0) filter.attribute = attribute;
    return filter;
  }

  private singleValue(): Buffer {
    return this.parseValue(false).initial; // no asterisks: the whole value
  }

  /**
   * valueencoding = 0*( normal / escaped ), read up to the next ')' or the end of the text.
   * With asterisks allowed the value is split at each one; otherwise an asterisk is an error.
   */
  private parseValue(asterisks: boolean): SplitValue {
    const { text } = this;
    let initial: Buffer | undefined;
    const any: SplitValue['any'] = [];
    // Bytes of the part being read: runs of plain text and runs of escaped bytes, in order.
    let chunks: Buffer[] = [];
    let escaped: number[] = [];
    let runStart = this.pos;
    const flushRun = (end: number): void => {
      if (runStart < end) chunks.push(Buffer.from(text.slice(runStart, end), 'utf8'));
    };
    const flushEscaped = (): void => {
      if (escaped.length > 0) chunks.push(Buffer.from(escaped));
      escaped = [];
    };
    const endPart = (end: number): Buffer => {
      flushRun(end);
      flushEscaped();
      const only = chunks.length === 1 ? chunks[0] : undefined; // one chunk needs no copy
      const part = only ?? Buffer.concat(chunks);
      chunks = [];
      return part;
    };
    let i = this.pos;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === RPAREN) break;
      if (c === BACKSLASH) {
        const byte = hexPair(text, i + 1);
        if (byte < 0) this.fail(i, "bad escape: '\\' must be followed by two hex digits");
        flushRun(i);
        escaped.push(byte);
        i += 2;
        runStart = i + 1;
        continue;
      }
      if (escaped.length > 0) {
        // A plain character ends a run of escapes; keep the chunks in text order.
        flushEscaped();
      }
      if (c === ASTERISK) {
        if (!asterisks) this.fail(i, "unescaped '*' in a value (write \\2a)");
        const part = endPart(i);
        if (initial === undefined) initial = part;
        else any.push({ bytes: part, endsAt: i });
        runStart = i + 1;
      } else if (c === LPAREN) {
        this.fail(i, "unescaped '(' in a value (write \\28)");
      } else if (c === 0) {
        this.fail(i, 'NUL in a value (write \\00)');
      } else if (c >= 0xd800 && c <= 0xdfff) {
        // A lone surrogate has no UTF-8 form; Buffer.from would silently turn it into U+FFFD.
        const low = text.charCodeAt(i + 1);
        if (c >= 0xdc00 || !(low >= 0xdc00 && low <= 0xdfff)) this.fail(i, 'lone surrogate in a value');
        i++;
      }
    }
    const last = endPart(i);
    this.pos = i;
    return initial === undefined ? { initial: last, any, final: undefined } : { initial, any, final: last };
  }
}

const hexDigit = (c: number): number => {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
};

/** The byte written as two hex digits at text[i], or -1. */
const hexPair = (text: string, i: number): number => {
  const high = hexDigit(text.charCodeAt(i));
  const low = hexDigit(text.charCodeAt(i + 1));
  return high < 0 || low < 0 ? -1 : (high << 4) | low;
};

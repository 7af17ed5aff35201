/**
 * RFC 4512 §4.1 attribute type and object class descriptions, read as far as the in-memory
 * directory needs: names, superiors, matching rules, syntax, flags, MUST and MAY. Extensions
 * (X-…) and anything else are skipped. A description that cannot be read is a TypeError naming
 * it: the built-in set is generated, and a user's own definitions should fail loudly at start.
 */

export type AttributeUsage = 'userApplications' | 'directoryOperation' | 'distributedOperation' | 'dSAOperation';
export type ObjectClassKind = 'ABSTRACT' | 'STRUCTURAL' | 'AUXILIARY';

export interface AttributeTypeDescription {
  readonly oid: string;
  readonly names: readonly string[];
  readonly sup: string | undefined;
  readonly equality: string | undefined;
  readonly ordering: string | undefined;
  readonly substr: string | undefined;
  /** The syntax OID without its length bound. */
  readonly syntax: string | undefined;
  readonly singleValue: boolean;
  readonly noUserModification: boolean;
  readonly usage: AttributeUsage;
  /** The description as given, for cn=Subschema. */
  readonly text: string;
}

export interface ObjectClassDescription {
  readonly oid: string;
  readonly names: readonly string[];
  readonly sup: readonly string[];
  readonly kind: ObjectClassKind;
  readonly must: readonly string[];
  readonly may: readonly string[];
  readonly text: string;
}

type Token = string | { quoted: string };

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (char === ' ' || char === '\t' || char === '\n') {
      at++;
    } else if (char === '(' || char === ')' || char === '$') {
      tokens.push(char);
      at++;
    } else if (char === "'") {
      const end = text.indexOf("'", at + 1);
      if (end < 0) throw new TypeError(`unterminated quoted string in schema description: ${text}`);
      tokens.push({ quoted: text.slice(at + 1, end) });
      at = end + 1;
    } else {
      let end = at;
      while (end < text.length && !" \t\n()$'".includes(text[end]!)) end++;
      tokens.push(text.slice(at, end));
      at = end;
    }
  }
  return tokens;
};

/** A cursor over the tokens of one description. */
class Reader {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  fail(why: string): never {
    throw new TypeError(`cannot read schema description (${why}): ${this.text}`);
  }

  get done(): boolean {
    return this.at >= this.tokens.length;
  }

  next(): Token {
    const token = this.tokens[this.at++];
    if (token === undefined) this.fail('it ends too soon');
    return token;
  }

  peek(): Token | undefined {
    return this.tokens[this.at];
  }

  word(): string {
    const token = this.next();
    if (typeof token !== 'string') this.fail('a quoted string where a name or OID belongs');
    return token;
  }

  /** oids: one oid, or `( oid $ oid … )`; quoted names are accepted too (qdescrs). */
  list(): string[] {
    const first = this.next();
    if (first !== '(') return [typeof first === 'string' ? first : first.quoted];
    const items: string[] = [];
    for (;;) {
      const token = this.next();
      if (token === ')') return items;
      if (token === '$') continue;
      items.push(typeof token === 'string' ? token : token.quoted);
    }
  }

  /** Skips an extension's or DESC's value: one quoted string or a parenthesised list of them. */
  skipValue(): void {
    const token = this.next();
    if (token === '(') while (this.next() !== ')');
  }
}

const open = (text: string): { reader: Reader; oid: string } => {
  const reader = new Reader(tokenize(text), text);
  if (reader.next() !== '(') reader.fail("it does not start with '('");
  return { reader, oid: reader.word() };
};

const USAGES: readonly string[] = ['userApplications', 'directoryOperation', 'distributedOperation', 'dSAOperation'];
const isUsage = (value: string): value is AttributeUsage => USAGES.includes(value);

export const parseAttributeTypeDescription = (text: string): AttributeTypeDescription => {
  const { reader, oid } = open(text);
  let names: string[] = [];
  let sup: string | undefined;
  let equality: string | undefined;
  let ordering: string | undefined;
  let substr: string | undefined;
  let syntax: string | undefined;
  let singleValue = false;
  let noUserModification = false;
  let usage: AttributeUsage = 'userApplications';
  for (;;) {
    const token = reader.next();
    if (token === ')') break;
    if (typeof token !== 'string') reader.fail('a quoted string where a keyword belongs');
    switch (token) {
      case 'NAME':
        names = reader.list();
        break;
      case 'SUP':
        sup = reader.word();
        break;
      case 'EQUALITY':
        equality = reader.word();
        break;
      case 'ORDERING':
        ordering = reader.word();
        break;
      case 'SUBSTR':
        substr = reader.word();
        break;
      case 'SYNTAX':
        syntax = reader.word().replace(/\{\d+\}$/, '');
        break;
      case 'SINGLE-VALUE':
        singleValue = true;
        break;
      case 'NO-USER-MODIFICATION':
        noUserModification = true;
        break;
      case 'OBSOLETE':
      case 'COLLECTIVE':
        break;
      case 'USAGE': {
        const value = reader.word();
        usage = isUsage(value) ? value : reader.fail(`unknown USAGE ${value}`);
        break;
      }
      default:
        // DESC and X- extensions carry values this reader does not need.
        reader.skipValue();
    }
  }
  return { oid, names, sup, equality, ordering, substr, syntax, singleValue, noUserModification, usage, text };
};

export const parseObjectClassDescription = (text: string): ObjectClassDescription => {
  const { reader, oid } = open(text);
  let names: string[] = [];
  let sup: string[] = [];
  let kind: ObjectClassKind = 'STRUCTURAL';
  let must: string[] = [];
  let may: string[] = [];
  for (;;) {
    const token = reader.next();
    if (token === ')') break;
    if (typeof token !== 'string') reader.fail('a quoted string where a keyword belongs');
    switch (token) {
      case 'NAME':
        names = reader.list();
        break;
      case 'SUP':
        sup = reader.list();
        break;
      case 'ABSTRACT':
      case 'STRUCTURAL':
      case 'AUXILIARY':
        kind = token;
        break;
      case 'MUST':
        must = reader.list();
        break;
      case 'MAY':
        may = reader.list();
        break;
      case 'OBSOLETE':
        break;
      default:
        reader.skipValue();
    }
  }
  return { oid, names, sup, kind, must, may, text };
};

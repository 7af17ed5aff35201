import { SchemaSyntaxError } from '../errors/schema';

/**
 * The lexical level of RFC 4512 §4.1 descriptions: parentheses, `$` separators, quoted strings
 * (qdstring, with its `\27` and `\5C` escapes) and bare words (numericoid, descr, keywords, a
 * `{length}` bound stuck to an OID). Each token keeps its offset for error positions.
 */
export type Token =
  | { readonly type: '(' | ')' | '$'; readonly position: number }
  | { readonly type: 'word' | 'quoted'; readonly text: string; readonly position: number };

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const WORD_END = new Set([' ', '\t', '\n', '\r', '(', ')', '$', "'"]);

/** `\27` is a quote and `\5C` a backslash (RFC 4512 §4.1, qdstring); other text stays as is. */
const unescape = (text: string): string => (text.includes('\\') ? text.replace(/\\(27|5c)/gi, (_, hex: string) => (hex === '27' ? "'" : '\\')) : text);

export const tokenize = (input: string, kind: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '$') {
      tokens.push({ type: c, position: i });
      i++;
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new SchemaSyntaxError(kind, input, i, 'a quoted string is not closed');
      tokens.push({ type: 'quoted', text: unescape(input.slice(i + 1, end)), position: i });
      i = end + 1;
    } else {
      const start = i;
      while (i < input.length && !WORD_END.has(input[i]!)) i++;
      tokens.push({ type: 'word', text: input.slice(start, i), position: start });
    }
  }
  return tokens;
};

/** A cursor over the tokens of one description, failing with the description's kind and input. */
export class TokenCursor {
  private index = 0;
  constructor(
    private readonly tokens: readonly Token[],
    readonly input: string,
    readonly kind: string,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(): Token | undefined {
    return this.tokens[this.index++];
  }

  /** Where the next token starts (the input's length at the end), for errors. */
  get position(): number {
    return this.peek()?.position ?? this.input.length;
  }

  fail(reason: string, position = this.position): never {
    throw new SchemaSyntaxError(this.kind, this.input, position, reason);
  }

  expect(type: '(' | ')'): void {
    const token = this.next();
    if (token?.type !== type) this.fail(`expected '${type}'${token === undefined ? ' before the end' : ''}`, token?.position ?? this.input.length);
  }

  /** A bare word (an OID, a descriptor, a number). */
  word(what: string): { text: string; position: number } {
    const token = this.next();
    if (token === undefined || token.type !== 'word') return this.fail(`expected ${what}`, token?.position ?? this.input.length);
    return token;
  }

  /** A word, or a quoted one (some servers quote OIDs and descriptors). */
  oid(what: string): string {
    const token = this.next();
    if (token === undefined || (token.type !== 'word' && token.type !== 'quoted') || token.text === '') {
      return this.fail(`expected ${what}`, token?.position ?? this.input.length);
    }
    return token.text;
  }

  qdstring(what: string): string {
    const token = this.next();
    if (token === undefined || token.type !== 'quoted') return this.fail(`expected ${what} in quotes`, token?.position ?? this.input.length);
    return token.text;
  }

  /** One item, or a parenthesised list separated by `$` (oids) or by spaces (qdescrs, qdstrings). */
  list(read: () => string): string[] {
    if (this.peek()?.type !== '(') return [read()];
    this.next();
    const items: string[] = [];
    for (;;) {
      const token = this.peek();
      if (token === undefined) this.fail("a list is not closed with ')'");
      if (token.type === ')') {
        this.next();
        return items;
      }
      if (token.type === '$') {
        if (items.length === 0) this.fail("'$' before the first item of a list");
        this.next();
        continue;
      }
      items.push(read());
    }
  }
}

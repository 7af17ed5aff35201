/** Comparing prepared strings: the ordering and substrings halves of the string matching rules. */

/** Compares two strings by code point (UTF-16 `<` misorders astral characters against U+E000–U+FFFF). */
export const compareCodePoints = (a: string, b: string): number => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    // Within both strings (i < length), so neither is undefined; ?? only satisfies the type.
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
};

/**
 * Whether `value` holds initial, then each `any` in order without overlap, then final. Taking the
 * leftmost occurrence of each `any` is always safe: it leaves the most room for the rest.
 */
export const matchSubstrings = (value: string, initial: string | undefined, any: readonly string[], final: string | undefined): boolean => {
  let from = 0;
  let to = value.length;
  if (initial !== undefined) {
    if (!value.startsWith(initial)) return false;
    from = initial.length;
  }
  if (final !== undefined) {
    if (value.length - final.length < from || !value.endsWith(final)) return false;
    to = value.length - final.length;
  }
  for (const part of any) {
    const at = value.indexOf(part, from);
    if (at < 0 || at + part.length > to) return false;
    from = at + part.length;
  }
  return true;
};

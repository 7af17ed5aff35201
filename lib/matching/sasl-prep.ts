// ---------------------------------------------------------------------------------------------
// SASLprep (RFC 4013), the "query" profile: unassigned code points are let through.
//
// Done: mapping (non-ASCII spaces of RFC 3454 C.1.2 to U+0020, B.1 "commonly mapped to
// nothing" removed), NFKC, and the prohibited-output check (C.1.2, C.2.1, C.2.2, C.3–C.9).
// Left out: the bidirectional check of RFC 3454 §6 (JavaScript regular expressions have no
// Bidi_Class property, and a copy of the tables would dwarf this file), and the Unicode 3.2
// pinning: String.prototype.normalize uses the runtime's newer Unicode, which differs only for
// characters unassigned in 3.2. Both only matter for passwords in right-to-left scripts or with
// characters newer than 2002; ASCII passwords pass through unchanged.
// ---------------------------------------------------------------------------------------------

// C.1.2 non-ASCII space characters. U+200B is in both C.1.2 and B.1; it is mapped to a space
// like the other C.1.2 characters, as the common implementations do.
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;
// B.1 commonly mapped to nothing.
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200c\u200d\u2060\ufe00-\ufe0f\ufeff]/g;
// C.2.1, C.2.2, C.3, C.4, C.5 (lone surrogates), C.6, C.7, C.8, C.9 — and C.1.2, which NFKC
// could in principle bring back.
const PROHIBITED =
  /[\u0000-\u001f\u007f-\u009f\u00a0\u0340\u0341\u06dd\u070f\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2063\u206a-\u206f\u2ff0-\u2ffb\u3000\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufeff\ufff9-\ufffd\ufffe\uffff\u{1d173}-\u{1d17a}\u{1fffe}\u{1ffff}\u{2fffe}\u{2ffff}\u{3fffe}\u{3ffff}\u{4fffe}\u{4ffff}\u{5fffe}\u{5ffff}\u{6fffe}\u{6ffff}\u{7fffe}\u{7ffff}\u{8fffe}\u{8ffff}\u{9fffe}\u{9ffff}\u{afffe}\u{affff}\u{bfffe}\u{bffff}\u{cfffe}\u{cffff}\u{dfffe}\u{dffff}\u{e0001}\u{e0020}-\u{e007f}\u{efffe}-\u{10ffff}]/u;
// Lone surrogates are invisible to a /u regex (it reads code points); this catches them.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * RFC 4013 SASLprep of `text` (see above for what is left out). `what` names the field in the
 * error, which never quotes the text itself: it may be a password.
 */
export const saslPrep = (text: string, what = 'string'): string => {
  // Printable ASCII maps to itself and is already NFKC: the common case skips the Unicode passes.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  if (LONE_SURROGATE.test(text)) throw new TypeError(`SASLprep: the ${what} contains a lone surrogate`);
  const prepared = text.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
  if (PROHIBITED.test(prepared)) throw new TypeError(`SASLprep: the ${what} contains a prohibited character (control, private use, non-character or tagging)`);
  return prepared;
};


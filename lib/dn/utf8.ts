/**
 * Strict UTF-8 decoding of the bytes spelled by consecutive `\XX` escapes in a DN value.
 *
 * Node's decoders either replace bad input with U+FFFD or, with `fatal`, throw without saying
 * where; the DN parser has to name the exact escape that breaks the encoding, so this walks the
 * bytes itself (RFC 3629 §4 table: no overlongs, no surrogates, nothing above U+10FFFF).
 */

export type Utf8Result =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly index: number; readonly reason: string };

export function decodeUtf8(bytes: readonly number[]): Utf8Result {
  let text = '';
  let i = 0;
  for (let lead = bytes[i]; lead !== undefined; lead = bytes[i]) {
    if (lead < 0x80) {
      text += String.fromCharCode(lead);
      i++;
      continue;
    }
    let need: number;
    let codePoint: number;
    // The second byte's range is narrower after some lead bytes: that is how RFC 3629 rules out
    // overlong forms (E0, F0), UTF-16 surrogates (ED) and code points past U+10FFFF (F4).
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
      codePoint = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      codePoint = lead & 0x0f;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      codePoint = lead & 0x07;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else {
      const reason = lead <= 0xbf ? 'UTF-8 continuation byte without a lead byte' : 'byte that never occurs in UTF-8';
      return { ok: false, index: i, reason };
    }
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined) return { ok: false, index: i, reason: 'incomplete UTF-8 sequence' };
      if (next < low || next > high) return { ok: false, index: i + k, reason: 'invalid UTF-8 continuation byte' };
      codePoint = (codePoint << 6) | (next & 0x3f);
      low = 0x80;
      high = 0xbf;
    }
    text += String.fromCodePoint(codePoint);
    i += need + 1;
  }
  return { ok: true, text };
}

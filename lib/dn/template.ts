/**
 * The `dn` tagged template: the safe way to put user input into a DN.
 *
 *   dn`uid=${user},ou=people,${base}`
 *
 * Each interpolated string (or number) is escaped with escapeDNValue, so `a,b+c=d` stays one
 * value instead of becoming extra RDNs. A DN instance is inserted as DN text, unescaped, because
 * it already is a DN (typically the base); the empty DN takes its joining `,` with it, so a root
 * base gives `cn=x` rather than a trailing separator. A Buffer becomes a `#hex` BER value.
 *
 * Where each interpolation sits is checked, because escaping only protects values: a string in
 * an attribute-type position, or a DN inside a value, would let input rewrite the DN's structure,
 * so both are rejected with a TypeError (a programming error, like a bad argument).
 *
 * The literal parts are read raw, like String.raw, so they are written exactly as RFC 4514 text:
 * dn`cn=Smith\, John,${base}` and dn`cn=Lu\C4\8Di\C4\87` mean what they say. Cooked strings
 * would silently turn `\,` into a separator and `\C4` into "C4".
 */
import { DN, parseDN } from './dn';
import { escapeDNValue } from './escape';

export type DNTemplateValue = string | number | bigint | Buffer | DN;

export function dn(strings: TemplateStringsArray, ...values: readonly DNTemplateValue[]): DN {
  const scanner = new PositionScanner();
  // A template has one more literal than values, so `?? ''` never applies.
  let text = scanner.feed(strings.raw[0] ?? '');
  values.forEach((value, i) => {
    let after = strings.raw[i + 1] ?? '';
    if (value instanceof DN) {
      if (scanner.inValue || !/(?:^|[,;]) *$/.test(text) || !/^ *(?:[,;]|$)/.test(after)) {
        throw new TypeError(`a DN interpolated into dn\`...\` must stand between RDN separators (at interpolation ${i})`);
      }
      if (value.length === 0) {
        // Drop the separator that would have joined the empty DN, before it if any, else after.
        const trimmed = text.replace(/[,;] *$/, '');
        if (trimmed !== text) text = trimmed;
        else after = after.replace(/^ *[,;]/, '');
      } else {
        text += scanner.feed(value.toString());
      }
    } else {
      if (!scanner.inValue) {
        // A string where an RDN starts is usually a base DN kept as text: say how to insert it.
        const hint = typeof value === 'string' && value.includes('=') ? '; to insert a whole DN (a base, say), pass it parsed: parseDN(base)' : '';
        throw new TypeError(`only attribute values can be interpolated into dn\`...\`, not attribute types (at interpolation ${i})${hint}`);
      }
      if (Buffer.isBuffer(value) && (!/= *$/.test(text) || !/^ *(?:[,;+]|$)/.test(after))) {
        throw new TypeError(`a Buffer interpolated into dn\`...\` becomes a #hex BER value and must be a whole attribute value (at interpolation ${i})`);
      }
      text += scanner.feed(render(value, i));
    }
    text += scanner.feed(after);
  });
  return parseDN(text);
}

function render(value: Exclude<DNTemplateValue, DN>, index: number): string {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return escapeDNValue(value);
  if (typeof value === 'number' || typeof value === 'bigint') return escapeDNValue(String(value));
  // Reachable only from untyped callers; `${undefined}` silently becoming "undefined" would hide a bug.
  throw new TypeError(`cannot interpolate ${value === null ? 'null' : typeof value} into a DN (at interpolation ${index})`);
}

/** Follows the text as it is assembled, to know whether the next character is inside a value. */
class PositionScanner {
  inValue = false;
  private escapePending = false;

  /** Advances over `chunk` and returns it. */
  feed(chunk: string): string {
    for (const c of chunk) {
      if (!this.inValue) {
        if (c === '=') this.inValue = true;
      } else if (this.escapePending) {
        this.escapePending = false;
      } else if (c === '\\') {
        this.escapePending = true;
      } else if (c === ',' || c === ';' || c === '+') {
        this.inValue = false;
      }
    }
    return chunk;
  }
}

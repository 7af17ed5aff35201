/**
 * Escaping of one attribute value for DN text (RFC 4514 §2.4).
 *
 * It escapes exactly what §2.4 requires and nothing more, so the canonical text of a DN stays
 * readable (UTF-8 is written raw, not as \XX pairs) and is byte-identical to what other
 * RFC 4514 implementations produce.
 */
import { InvalidDNError } from '../errors';

/** Characters that need a backslash wherever they occur; NUL is written as the hex pair \00. */
const ALWAYS = /["+,;<>\\\0]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Escapes `value` so it can stand as one attribute value in DN text.
 *
 * A Buffer is a BER-encoded value and becomes `#` followed by lowercase hex (RFC 4514 §2.4's
 * hexstring form); it must hold at least one byte because `#` alone is not valid DN text.
 * A string must be well-formed UTF-16: an unpaired surrogate has no UTF-8 encoding, so no DN
 * text could carry it.
 */
export function escapeDNValue(value: string | Buffer): string {
  if (Buffer.isBuffer(value)) {
    if (value.length === 0) throw new InvalidDNError('#', 1, 'a BER-encoded (#hex) value needs at least one byte');
    return `#${value.toString('hex')}`;
  }
  if (typeof value !== 'string') throw new TypeError(`a DN attribute value must be a string or a Buffer, not ${typeof value}`);
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) throw new InvalidDNError(value, surrogate.index, 'unpaired UTF-16 surrogate cannot be encoded as UTF-8');
  let escaped = value.replace(ALWAYS, (c) => (c === '\0' ? '\\00' : `\\${c}`));
  if (escaped.startsWith('#') || escaped.startsWith(' ')) escaped = `\\${escaped}`;
  // A one-space value already had its only space escaped as the leading one.
  if (value.length > 1 && value.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

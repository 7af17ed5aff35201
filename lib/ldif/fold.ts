/**
 * RFC 2849 folding: a line longer than `width` is cut after `width` bytes and goes on in lines
 * that begin with one space, each again at most `width` bytes long (the space included). This
 * is exactly OpenLDAP's `ldif-wrap` (`ldapsearch -o ldif-wrap=76`). The writer only folds text
 * it made itself, which is ASCII, so counting UTF-16 units counts bytes. LdifSink does the
 * folding, as it copies the bytes.
 */
export const DEFAULT_LDIF_WRAP = 76;

/** `width` checked: 0 or Infinity for no folding, else an integer of at least 2. */
export const checkWrap = (width: number): number => {
  if (width === 0 || width === Infinity) return Infinity;
  if (!Number.isInteger(width) || width < 2) throw new RangeError(`wrap must be 0, Infinity or an integer of at least 2, got ${width}`);
  return width;
};

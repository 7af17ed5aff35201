/**
 * The octet at `at`. Decoders check their bounds before they read (a length against the octets
 * left, a loop against the end), so this never throws for them; it exists because a typed
 * array read past its end gives undefined, and a decoder with a bounds bug should stop loudly
 * there rather than carry NaN into a length.
 */
export const octetAt = (bytes: Uint8Array, at: number): number => {
  const octet = bytes[at];
  if (octet === undefined) throw new RangeError(`octet ${at} is past the end of ${bytes.length}`);
  return octet;
};

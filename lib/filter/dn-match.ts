import { isUtf8 } from 'node:buffer';
import { BerReader } from '../ber';
import { parseDN, type DN } from '../dn';
import { InvalidDNError } from '../errors';
import type { EqualityRule } from './matching-rules';

/**
 * The two places evaluation meets distinguished names: distinguishedNameMatch (member, owner,
 * seeAlso …), and the `:dn:` of an extensible match, which also asserts against the attribute
 * values that name the entry (RFC 4511 §4.5.1.7.7).
 */

const tryParseDN = (text: string): DN | undefined => {
  try {
    return parseDN(text);
  } catch (error) {
    if (error instanceof InvalidDNError) return undefined;
    throw error;
  }
};

/** distinguishedNameMatch (2.5.13.1): equal when the DN module's normalised forms are equal. */
export const distinguishedNameMatch: EqualityRule = {
  usage: 'equality',
  oid: '2.5.13.1',
  names: ['distinguishedNameMatch'],
  key: (value) => (isUtf8(value) ? tryParseDN(value.toString('utf8'))?.toNormalizedString() : undefined),
};

/** One attribute value that names an entry: an AVA of one of its DN's RDNs. */
export interface NamingValue {
  readonly type: string;
  readonly value: Buffer;
}

/**
 * The AVAs of every RDN of the entry's DN, as bytes. A `#hex` value holds a BER encoding; a
 * simple one is unwrapped to its contents (`#04024869` is "Hi"), anything else stays as written.
 * An entry whose DN does not parse has no naming values.
 */
export const namingValues = (objectName: string): NamingValue[] => {
  const dn = tryParseDN(objectName);
  if (dn === undefined) return [];
  return dn.rdns.flatMap((rdn) =>
    rdn.map(({ type, value }) => ({ type, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : berContents(value) })),
  );
};

const berContents = (ber: Buffer): Buffer => {
  try {
    const reader = new BerReader(ber);
    const contents = reader.readOctetString(reader.peekTag());
    reader.expectEnd();
    return contents;
  } catch {
    return ber;
  }
};

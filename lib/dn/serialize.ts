/** Canonical RFC 4514 text of RDNs: `,` between RDNs, `+` inside one, values via escapeDNValue. */
import { escapeDNValue } from './escape';
import type { AttributeTypeAndValue, RDN } from './types';

export function atavToString(atav: AttributeTypeAndValue): string {
  return `${atav.type}=${escapeDNValue(atav.value)}`;
}

export function rdnToString(rdn: RDN): string {
  return rdn.map(atavToString).join('+');
}

/** `;` and spaces around separators are accepted on input but never written (RFC 4514 §2.1). */
export function rdnsToString(rdns: readonly RDN[]): string {
  return rdns.map(rdnToString).join(',');
}

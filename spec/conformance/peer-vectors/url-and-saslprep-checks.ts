/** The url.parse and saslprep kinds, run through parseLdapUrl and saslPrep. */
import { expect } from 'chai';
import { saslPrep } from '../../../lib/matching/sasl-prep';
import { parseLdapUrl } from '../../../lib/transport/ldap-url';
import type { PeerVector } from './load';
import { wanted, wantsError } from './load';
import { refusal } from './values';

export const urlAndSaslprepChecks: Record<string, (vector: PeerVector) => void> = {
  'url.parse': (vector) => {
    const want = wanted(vector) as { error?: boolean; fields?: Record<string, unknown> };
    // The parser's own job is the RFC 4516 syntax; whether a critical extension can be acted on
    // is the caller's (the default refuses every one rxldap does not process).
    const parse = (): ReturnType<typeof parseLdapUrl> => parseLdapUrl(vector.input as string, { criticalExtensions: 'return' });
    if (wantsError(want)) {
      refusal(parse);
      return;
    }
    const url = parse();
    for (const [field, value] of Object.entries(want.fields ?? {})) expect(url[field as keyof typeof url], field).to.deep.equal(value);
  },
  saslprep: (vector) => {
    const want = wanted(vector);
    if (wantsError(want)) refusal(() => saslPrep(vector.input as string));
    else expect(saslPrep(vector.input as string)).to.equal(want);
  },
};

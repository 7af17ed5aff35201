import { expect } from 'chai';
import { parseDN } from '../../../lib/dn';
import { rdnToString } from '../../../lib/dn/serialize';
import { SEPARATOR, dnKey, isCanonicalUUID, uuidKey } from '../../../lib/stores/sqlite/keys';

/** The key as the full parser and DN.normalize() make it (the values below need no rdnText escapes). */
const reference = (dn: string): string => parseDN(dn).normalize().rdns.map((rdn) => rdnToString(rdn)).reverse().join(SEPARATOR);

describe('SqliteSyncStore keys', () => {
  describe('dnKey', () => {
    // Types whose rules differ (caseIgnore, caseExact-free IA5, telephoneNumber, numericString,
    // DN-less unknown types, OIDs, aliases), values of every character the plain-RDN path admits,
    // in both cases, beside values that must take the full path (spaces, hyphens, escapes).
    const types = ['uid', 'UID', 'cn', 'commonName', 'CN', 'mail', 'telephoneNumber', 'employeeNumber', 'dc', 'ou', 'x121Address', 'fooBar', '2.5.4.3', 'serialNumber', 'street'];
    const values = ['jdoe', 'JDoe', 'user0000001', 'john.smith', 'J_Smith@Example.COM', '0042', 'ABC', 'a', 'with space', ' lead', 'tele-phone', '+1 555 1234', 'Smith\\, John', '#0c03666f6f', 'x\\2Cy'];
    for (const type of types) {
      it(`keys ${type}=… RDNs as the DN parser and normaliser do`, () => {
        for (const value of values) {
          for (const dn of [`${type}=${value}`, `${type}=${value},ou=People,dc=Example,dc=COM`]) {
            let expected: string;
            try {
              expected = reference(dn);
            } catch {
              continue; // not a DN (a '#' value that is not BER for this type): not this spec's concern
            }
            expect(dnKey(dn), dn).to.equal(expected);
          }
        }
      });
    }

    it('keys equal DNs alike whichever path they take', () => {
      expect(dnKey('UID=JDoe,OU=People,DC=example,DC=com')).to.equal(dnKey('uid=jdoe, ou=people, dc=example, dc=com'));
      expect(dnKey('cn=ann smith,dc=x')).to.equal(dnKey('CN=Ann  Smith,dc=x'));
    });
  });

  describe('isCanonicalUUID', () => {
    it('is true exactly for what uuidKey turns into 16 bytes', () => {
      const cases = ['0d0348ea-85b4-1041-8790-fd4873d37b13', '0D0348EA-85B4-1041-8790-FD4873D37B13', '0d0348ea85b410418790fd4873d37b13', '0d0348ea-85b4-1041-8790-fd4873d37b1', '0d0348ea-85b4-1041-8790-fd4873d37b1g', 'x0d0348e-85b4-1041-8790-fd4873d37b13', '0d0348ea_85b4-1041-8790-fd4873d37b13', ''];
      for (const text of cases) expect(isCanonicalUUID(text), text).to.equal(Buffer.isBuffer(uuidKey(text)));
    });
  });
});

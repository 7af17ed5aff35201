/**
 * Valid (and deliberately borderline) DN, filter and URL strings to mutate: hand-written ones
 * covering each grammar's corners, canonical text of generated filters, and the string inputs of
 * the peer vectors (other libraries' test suites) when their folder is present.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { filterToString } from '../../lib/filter';
import { filterArbitrary } from '../../spec/support/arbitraries';
import { repoRoot } from './repo-root';
import type { CorpusOptions } from './target';

const DNS = [
  '', 'dc=example,dc=com', 'uid=jdoe,ou=People,dc=example,dc=com', 'cn=John Doe+mail=jdoe@example.com,dc=example,dc=com', 'cn=#04024869,dc=x',
  'cn=\\23sharp,cn=\\20lead\\20,cn=trail\\ ', 'cn=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i,o=x', 'cn=\\c3\\a9t\\c3\\a9,o=caf\u00e9', '2.5.4.3=x,0.9.2342.19200300.100.1.25=com',
  'CN=Steve Kille,O=Isode Limited,C=GB', 'OU=Sales+CN=J. Smith,DC=example,DC=net', 'cn=a ; cn=b', 'cn = a , o = b', 'cn=\ud83d\ude00,o=\u0627\u0644',
  'cn=x\u0000y', 'cn=', 'cn=a+cn=a', 'dc=a,dc=b,dc=c,dc=d,dc=e,dc=f,dc=g', 'x-attr;lang-en=v',
];
const FILTERS = [
  '(objectClass=*)', '(cn=Babs Jensen)', '(!(cn=Tim Howes))', '(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))', '(o=univ*of*mich*)', '(seeAlso=)',
  '(cn:caseExactMatch:=Fred Flintstone)', '(cn:=Betty Rubble)', '(sn:dn:2.4.6.8.10:=Barney Rubble)', '(o:dn:=Ace Industry)', '(:1.2.3:=Wilma Flintstone)',
  '(:DN:2.4.6.8.10:=Dino)', '(o=Parens R Us \\28for all your parenthetical needs\\29)', '(cn=*\\2A*)', '(filename=C:\\5cMyFile)', '(bin=\\00\\00\\00\\04)',
  '(sn=Lu\\c4\\8di\\c4\\87)', '(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)', '(uidNumber>=1000)', '(uidNumber<=2000)', '(sn~=smith)', 'uid=jdoe', '(&)', '(|)',
  '(cn;lang-en=x)', '(&(a=1)(!(|(b=2)(c=*x*y*z))))',
];
const URLS = [
  'ldap:///o=University%20of%20Michigan,c=US', 'ldap://ldap1.example.net/o=University%20of%20Michigan,c=US', 'ldap://ldap1.example.net/o=University%20of%20Michigan,c=US?postalAddress',
  'ldap://ldap1.example.net:6666/o=University%20of%20Michigan,c=US??sub?(cn=Babs%20Jensen)', 'LDAP://ldap1.example.com/c=GB?objectClass?ONE', 'ldap://ldap2.example.com/o=Question%3f,c=US?mail',
  'ldap://ldap3.example.com/o=Babsco,c=US???(four-octet=%5c00%5c00%5c00%5c04)', 'ldap://ldap.example.com/o=An%20Example%5C2C%20Inc.,c=US', 'ldap://ldap.example.net',
  'ldap://ldap.example.net/', 'ldap://ldap.example.net/?', 'ldap:///??sub??e-bindname=cn=Manager%2cdc=example%2cdc=com', 'ldap:///??sub??!e-bindname=cn=Manager%2cdc=example%2cdc=com',
  'ldaps://[::1]:636/dc=example,dc=com?cn,mail?one?(uid=x)?1.2.3=abc', 'ldaps://[2001:db8::7]/', 'ldap://127.0.0.1:389/', 'ldapi://%2Fvar%2Frun%2Fslapd%2Fldapi/dc=x',
  'ldap://host:0/', 'ldap://host:65536/', 'ldap://[]/', 'ldap://host/dc=x?a,,b',
];

const PEER_KINDS: Record<string, 'dn' | 'filter' | 'url'> = {
  'dn.valid': 'dn', 'dn.parse': 'dn', 'dn.normalized': 'dn', 'dn.format': 'dn', 'dn.explode': 'dn', 'filter.parse': 'filter', 'filter.format': 'filter', 'url.parse': 'url',
};

export interface TextSeeds {
  dns: string[];
  filters: string[];
  urls: string[];
}

/** The peer vectors folder: the given one, else ../shared/peer-vectors beside the repository. */
const peerDir = (options: CorpusOptions): string | undefined => {
  const dir = options.peerVectorsDir ?? join(repoRoot(), '..', 'shared', 'peer-vectors');
  return existsSync(dir) ? dir : undefined;
};

const addPeerVectors = (dir: string, seeds: TextSeeds): void => {
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
    const document = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { vectors?: Array<{ kind?: unknown; input?: unknown }> };
    for (const vector of document.vectors ?? []) {
      const kind = typeof vector.kind === 'string' ? PEER_KINDS[vector.kind] : undefined;
      if (kind === undefined || typeof vector.input !== 'string') continue;
      seeds[kind === 'dn' ? 'dns' : kind === 'filter' ? 'filters' : 'urls'].push(vector.input);
    }
  }
};

/** Canonical text of generated filters; the few that have no text form are left out. */
const generatedFilters = (count: number): string[] =>
  fc.sample(filterArbitrary, { seed: 4515, numRuns: count }).flatMap((filter) => {
    try {
      return [filterToString(filter)];
    } catch {
      return [];
    }
  });

/** URLs built from the DN and filter seeds, so the URL parser sees their escapes percent-encoded. */
const composedUrls = (dns: readonly string[], filters: readonly string[]): string[] =>
  dns.slice(0, 40).map((dn, i) => `ldap://host${i % 3 === 0 ? ':1389' : ''}/${encodeURIComponent(dn)}?cn,mail?${['base', 'one', 'sub'][i % 3]}?${encodeURIComponent(filters[i % filters.length]!)}`);

const cache = new Map<string, TextSeeds>();

export const textSeeds = (options: CorpusOptions): TextSeeds => {
  const dir = peerDir(options);
  const key = dir ?? '';
  let seeds = cache.get(key);
  if (seeds === undefined) {
    seeds = { dns: [...DNS], filters: [...FILTERS, ...generatedFilters(200)], urls: [...URLS] };
    if (dir !== undefined) addPeerVectors(dir, seeds);
    seeds.urls.push(...composedUrls(seeds.dns, seeds.filters));
    cache.set(key, seeds);
  }
  return seeds;
};

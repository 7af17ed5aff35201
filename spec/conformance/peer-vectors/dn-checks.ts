/** The dn.* kinds, run through lib/dn. */
import { expect } from 'chai';
import { DN, escapeDNValue, isValidDN, parseDN } from '../../../lib/dn';
import type { RDN } from '../../../lib/dn';
import { rdnToString } from '../../../lib/dn/serialize';
import type { PeerVector } from './load';
import { wanted, wantsError } from './load';
import { bytesOf, comparable, refusal } from './values';

type Pair = [string, unknown];

const rdnsOf = (dn: DN): unknown => comparable(dn.rdns.map((rdn) => rdn.map((atav) => [atav.type, atav.value])));

/** The vectors' `[[type, value], ...]` per RDN, as rxldap RDNs (`{ hex }` values as bytes). */
const toRdns = (rdns: Pair[][]): RDN[] =>
  rdns.map((rdn) => rdn.map(([type, value]) => ({ type, value: typeof value === 'string' ? value : bytesOf(value) })));

/** Two DN strings that read back to the same RDNs, type spelling and value bytes included. */
const expectSameDN = (actual: string, expected: string): void => {
  expect(rdnsOf(parseDN(actual)), `${actual} reads back as ${expected} does`).to.deep.equal(rdnsOf(parseDN(expected)));
};

const expectedString = (vector: PeerVector): string => (wanted(vector) as { string: string }).string;

const text = (value: unknown): string => {
  if (typeof value !== 'string') throw new TypeError(`expected a string input, got ${JSON.stringify(value)}`);
  return value;
};

export const dnChecks: Record<string, (vector: PeerVector) => void> = {
  'dn.parse': (vector) => {
    const want = wanted(vector);
    if (wantsError(want)) refusal(() => parseDN(text(vector.input)));
    else expect(rdnsOf(parseDN(text(vector.input)))).to.deep.equal(comparable((want as { rdns: unknown }).rdns));
  },
  'dn.valid': (vector) => {
    expect(isValidDN(text(vector.input))).to.equal(wanted(vector));
  },
  'dn.equals': (vector) => {
    const [a, b] = [vector.a ?? '', vector.b ?? ''];
    expect(parseDN(a).equals(b), 'a.equals(b)').to.equal(wanted(vector));
    expect(parseDN(b).equals(a), 'b.equals(a)').to.equal(wanted(vector));
  },
  'dn.normalized': (vector) => {
    const other = (wanted(vector) as { equalTo: string }).equalTo;
    expect(parseDN(text(vector.input)).equals(other), `equals ${other}`).to.equal(true);
  },
  'dn.rel': (vector) => {
    const want = wanted(vector);
    const relation = (): boolean => {
      const [a, b] = [parseDN(vector.a ?? ''), parseDN(vector.b ?? '')];
      switch (vector.rel) {
        case 'ancestorOf':
          return a.isAncestorOf(b);
        case 'descendantOf':
          return a.isDescendantOf(b);
        case 'childOf':
          return a.isChildOf(b);
        case 'parentOf':
          return b.isChildOf(a);
        // `a` is the entry, `b` the search base (RFC 4511 §4.5.1.2, subordinates: RFC 3673 draft).
        case 'scope:base':
          return a.equals(b);
        case 'scope:one':
          return a.isChildOf(b);
        case 'scope:sub':
          return a.equals(b) || a.isDescendantOf(b);
        case 'scope:subordinates':
          return a.isDescendantOf(b);
        default:
          throw new Error(`unknown relation ${String(vector.rel)}`);
      }
    };
    if (wantsError(want)) refusal(relation);
    else expect(relation()).to.equal(want);
  },
  'dn.format': (vector) => {
    const want = wanted(vector);
    const format = (): string => {
      const input = vector.input;
      if (typeof input === 'string') return parseDN(input).toString();
      return new DN(toRdns((input as { rdns: Pair[][] }).rdns)).toString();
    };
    if (wantsError(want)) refusal(format);
    else if (vector.compare === 'semantic') expectSameDN(format(), expectedString(vector));
    else expect(format()).to.equal(expectedString(vector));
  },
  'dn.escape': (vector) => {
    const input = text(vector.input);
    const escaped = escapeDNValue(input);
    if (vector.compare !== 'semantic') {
      expect(escaped).to.equal(expectedString(vector));
      return;
    }
    expectSameDN(`x=${escaped}`, `x=${expectedString(vector)}`);
    expect(parseDN(`x=${escaped}`).rdns[0]?.[0]?.value, 'reads back as the input').to.equal(input);
  },
  'dn.explode': (vector) => {
    const dn = parseDN(text(vector.input));
    const parts = vector.notypes === true ? dn.rdns.map((rdn) => rdn.map((atav) => escapeDNValue(atav.value)).join('+')) : dn.rdns.map(rdnToString);
    expect(parts).to.deep.equal(wanted(vector));
  },
};

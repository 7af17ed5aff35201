import fc from 'fast-check';
import { ControlOid } from '../../../../lib/protocol/controls';
import type { AssertionControl } from '../../../../lib/protocol/controls';
import type { Filter } from '../../../../lib/protocol/filter-types';
import { assertRoundTrips, attributeArb, bytesArb, expectEncoding, expectMalformed } from './helpers';

const assertion = (filter: Filter, criticality = true): AssertionControl => ({
  type: 'assertion',
  oid: ControlOid.assertion,
  criticality,
  value: { filter },
});

const filterArb: fc.Arbitrary<Filter> = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'filter' },
    fc.record({ type: fc.constant('present' as const), attribute: attributeArb() }),
    fc.record({
      type: fc.constantFrom('equalityMatch' as const, 'greaterOrEqual' as const, 'lessOrEqual' as const, 'approxMatch' as const),
      attributeDesc: attributeArb(),
      assertionValue: bytesArb(16),
    }),
    fc
      .record(
        { type: fc.constant('substrings' as const), attribute: attributeArb(), initial: bytesArb(8), any: fc.array(bytesArb(8), { maxLength: 3 }), final: bytesArb(8) },
        { requiredKeys: ['type', 'attribute', 'any'] },
      )
      .filter((f) => f.initial !== undefined || f.any.length > 0 || f.final !== undefined),
    fc
      .record(
        { type: fc.constant('extensibleMatch' as const), matchingRule: fc.stringMatching(/^[0-9]+(\.[0-9]+){1,5}$/), attribute: attributeArb(), matchValue: bytesArb(8), dnAttributes: fc.boolean() },
        { requiredKeys: ['type', 'matchValue', 'dnAttributes'] },
      )
      .filter((f) => f.matchingRule !== undefined || f.attribute !== undefined),
    fc.record({ type: fc.constantFrom('and' as const, 'or' as const), filters: fc.array(tie('filter'), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('not' as const), filter: tie('filter') }),
  ),
})).filter;

describe('assertion control (RFC 4528)', () => {
  it('encodes the filter as its BER Filter', () => {
    const eq = (attributeDesc: string, value: string): Filter => ({ type: 'equalityMatch', attributeDesc, assertionValue: Buffer.from(value) });
    expectEncoding(assertion(eq('cn', 'a')), 'a3 07 04 02 63 6e 04 01 61');
    expectEncoding(assertion({ type: 'present', attribute: 'objectClass' }), '87 0b 6f 62 6a 65 63 74 43 6c 61 73 73');
    expectEncoding(
      assertion({ type: 'and', filters: [eq('cn', 'a'), { type: 'present', attribute: 'sn' }] }),
      'a0 0d a3 07 04 02 63 6e 04 01 61 87 02 73 6e',
    );
    expectEncoding(assertion({ type: 'not', filter: eq('uid', 'x') }, false), 'a2 0a a3 08 04 03 75 69 64 04 01 78');
  });

  it('rejects malformed values', () => {
    const oid = ControlOid.assertion;
    expectMalformed(oid, undefined, 'request', /no value/);
    expectMalformed(oid, Buffer.alloc(0), 'request', /filter expected but the data ended/);
    expectMalformed(oid, 'aa 00', 'request', /unknown filter choice 0xaa/);
    expectMalformed(oid, '30 07 04 02 63 6e 04 01 61', 'request', /unknown filter choice 0x30/);
    expectMalformed(oid, 'a3 07 04 02 63 6e 04 01', 'request', /runs past the end/);
    expectMalformed(oid, 'a3 07 04 02 63 6e 04 01 61 00', 'request', /unexpected octets after the end/);
  });

  it('round-trips any filter', () => {
    assertRoundTrips(fc.tuple(filterArb, fc.boolean()).map(([filter, criticality]) => assertion(filter, criticality)));
  });
});

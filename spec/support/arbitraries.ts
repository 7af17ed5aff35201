/**
 * fast-check generators of valid LDAPMessages, shaped exactly as decodeMessage returns them
 * (optional fields absent rather than undefined), so decode(encode(m)) can be deep-compared.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { Filter, LdapMessage, LdapResult, PartialAttribute, ProtocolOp } from '../../lib/protocol';
import type { Control } from '../../lib/protocol/controls/types';

const bytes = (maxLength = 40): Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));
const text = (maxLength = 30): Arbitrary<string> => fc.string({ unit: 'grapheme', maxLength });
const oid = fc.array(fc.nat({ max: 99999 }), { minLength: 2, maxLength: 8 }).map((parts) => parts.join('.'));
const descr = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,15}(;[a-z-]{1,8})?$/);
const messageId = fc.integer({ min: 0, max: 2147483647 });
const int32 = fc.integer({ min: 0, max: 2147483647 });

const attribute: Arbitrary<PartialAttribute> = fc.record({ type: descr, vals: fc.array(bytes(), { maxLength: 5 }) });

const result: Arbitrary<LdapResult> = fc.record(
  {
    resultCode: fc.oneof(fc.constantFrom(0, 1, 10, 14, 32, 49, 50, 53, 68, 80, 118, 122, 4096), fc.integer({ min: 0, max: 5000 })),
    matchedDN: text(),
    diagnosticMessage: text(60),
    referral: fc.array(text(), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['resultCode', 'matchedDN', 'diagnosticMessage'] },
);

export const filterArbitrary: Arbitrary<Filter> = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('equalityMatch' as const), attributeDesc: descr, assertionValue: bytes() }),
    fc.record({ type: fc.constant('greaterOrEqual' as const), attributeDesc: descr, assertionValue: bytes() }),
    fc.record({ type: fc.constant('lessOrEqual' as const), attributeDesc: descr, assertionValue: bytes() }),
    fc.record({ type: fc.constant('approxMatch' as const), attributeDesc: descr, assertionValue: bytes() }),
    fc.record({ type: fc.constant('present' as const), attribute: descr }),
    fc
      .record(
        { type: fc.constant('substrings' as const), attribute: descr, initial: bytes(), any: fc.array(bytes(), { maxLength: 3 }), final: bytes() },
        { requiredKeys: ['type', 'attribute', 'any'] },
      )
      .filter((f) => f.initial !== undefined || f.final !== undefined || f.any.length > 0),
    fc
      .record(
        { type: fc.constant('extensibleMatch' as const), matchingRule: oid, attribute: descr, matchValue: bytes(), dnAttributes: fc.boolean() },
        { requiredKeys: ['type', 'matchValue', 'dnAttributes'] },
      )
      .filter((f) => f.matchingRule !== undefined || f.attribute !== undefined),
    fc.record({ type: fc.constant('and' as const), filters: fc.array(tie('filter'), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('or' as const), filters: fc.array(tie('filter'), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('not' as const), filter: tie('filter') }),
  ),
})).filter;

const withResult = <T extends string>(type: T): Arbitrary<LdapResult & { type: T }> => result.map((r) => ({ type, ...r }));

export const protocolOpArbitrary: Arbitrary<ProtocolOp> = fc.oneof(
  fc.record({
    type: fc.constant('bindRequest' as const),
    version: fc.integer({ min: 1, max: 127 }),
    name: text(),
    authentication: fc.oneof(
      fc.record({ type: fc.constant('simple' as const), simple: bytes() }),
      fc.record({ type: fc.constant('sasl' as const), mechanism: fc.constantFrom('EXTERNAL', 'PLAIN', 'SCRAM-SHA-256'), credentials: bytes() }, { requiredKeys: ['type', 'mechanism'] }),
    ),
  }),
  fc.tuple(result, bytes()).map(([r, creds]) => ({ type: 'bindResponse' as const, ...r, serverSaslCreds: creds })),
  withResult('bindResponse'),
  fc.constant({ type: 'unbindRequest' as const }),
  fc.record({
    type: fc.constant('searchRequest' as const),
    baseObject: text(),
    scope: fc.constantFrom('baseObject' as const, 'singleLevel' as const, 'wholeSubtree' as const, 'subordinateSubtree' as const),
    derefAliases: fc.constantFrom('neverDerefAliases' as const, 'derefInSearching' as const, 'derefFindingBaseObj' as const, 'derefAlways' as const),
    sizeLimit: int32,
    timeLimit: int32,
    typesOnly: fc.boolean(),
    filter: filterArbitrary,
    attributes: fc.array(fc.oneof(descr, fc.constantFrom('*', '+', '1.1')), { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant('searchResEntry' as const), objectName: text(), attributes: fc.array(attribute, { maxLength: 6 }) }),
  withResult('searchResDone'),
  fc.record({ type: fc.constant('searchResRef' as const), uris: fc.array(text(), { minLength: 1, maxLength: 3 }) }),
  fc.record({
    type: fc.constant('modifyRequest' as const),
    object: text(),
    changes: fc.array(fc.record({ operation: fc.constantFrom('add' as const, 'delete' as const, 'replace' as const, 'increment' as const), modification: attribute }), { maxLength: 4 }),
  }),
  withResult('modifyResponse'),
  fc.record({ type: fc.constant('addRequest' as const), entry: text(), attributes: fc.array(attribute, { maxLength: 5 }) }),
  withResult('addResponse'),
  fc.record({ type: fc.constant('delRequest' as const), entry: text() }),
  withResult('delResponse'),
  fc.record(
    { type: fc.constant('modDNRequest' as const), entry: text(), newrdn: text(), deleteoldrdn: fc.boolean(), newSuperior: text() },
    { requiredKeys: ['type', 'entry', 'newrdn', 'deleteoldrdn'] },
  ),
  withResult('modDNResponse'),
  fc.record({ type: fc.constant('compareRequest' as const), entry: text(), ava: fc.record({ attributeDesc: descr, assertionValue: bytes() }) }),
  withResult('compareResponse'),
  fc.record({ type: fc.constant('abandonRequest' as const), idToAbandon: messageId }),
  fc.record({ type: fc.constant('extendedReq' as const), requestName: oid, requestValue: bytes() }, { requiredKeys: ['type', 'requestName'] }),
  fc.tuple(result, fc.record({ responseName: oid, responseValue: bytes() }, { requiredKeys: [] })).map(([r, extra]) => ({ type: 'extendedResp' as const, ...r, ...extra })),
  fc.record({ type: fc.constant('intermediateResponse' as const), responseName: oid, responseValue: bytes() }, { requiredKeys: ['type'] }),
);

/** Raw controls with OIDs no codec claims, plus typed paged-results controls. */
export const controlArbitrary: Arbitrary<Control> = fc.oneof(
  fc.record({ type: fc.constant('raw' as const), oid: oid.map((o) => `9.${o}`), criticality: fc.boolean(), value: bytes() }, { requiredKeys: ['type', 'oid', 'criticality'] }),
  fc.record({
    type: fc.constant('pagedResults' as const),
    oid: fc.constant('1.2.840.113556.1.4.319'),
    criticality: fc.boolean(),
    value: fc.record({ size: int32, cookie: bytes() }),
  }),
);

export const messageArbitrary: Arbitrary<LdapMessage> = fc.record(
  { messageId, protocolOp: protocolOpArbitrary, controls: fc.array(controlArbitrary, { minLength: 1, maxLength: 3 }) },
  { requiredKeys: ['messageId', 'protocolOp'] },
);

import { expect } from 'chai';
import { MAX_DEPTH_LIMIT } from '../../../lib/ber/reader';
import { InvalidFilterError, ProtocolError } from '../../../lib/errors';
import { compileFilter, filter, filterToString, matches, parseFilter } from '../../../lib/filter';
import { decodeMessage, encodeFilter, FILTER_DEPTH_LIMIT } from '../../../lib/protocol';
import type { Filter, LdapMessage } from '../../../lib/protocol';
import { MessageParser } from '../../../lib/transport/message-parser';

/**
 * Issue 10, point 12: a raised maxDepth let a 10,000-deep filter overflow the stack, and the
 * RangeError escaped from parseFilter and decodeMessage (MessageParser wrapped it, but as
 * "cannot decode PDU: RangeError"). Every option is now held to a limit the recursive walks can
 * always handle, and every walk over a filter refuses one deeper than that with a typed error.
 */

const HOSTILE_DEPTH = 10_000;
const entry = { objectName: 'cn=x', attributes: [{ type: 'cn', vals: [Buffer.from('x')] }] };

/** Runs `walk` and returns what it threw, failing if it threw nothing. */
const thrownBy = (walk: () => unknown): unknown => {
  try {
    walk();
  } catch (error) {
    return error;
  }
  return expect.fail('expected an error');
};

const expectTyped = (walk: () => unknown, type: typeof InvalidFilterError | typeof ProtocolError, reason: RegExp): void => {
  const error = thrownBy(walk);
  expect(error, String(error)).to.be.instanceOf(type);
  expect((error as Error).message.slice(0, 200)).to.match(reason);
};

const chainText = (kind: '!' | '&', levels: number): string => `(${kind}`.repeat(levels - 1) + '(cn=x)' + ')'.repeat(levels - 1);

const chain = (kind: 'not' | 'and', levels: number): Filter => {
  let node: Filter = { type: 'equalityMatch', attributeDesc: 'cn', assertionValue: Buffer.from('x') };
  for (let i = 1; i < levels; i++) node = kind === 'not' ? { type: 'not', filter: node } : { type: 'and', filters: [node] };
  return node;
};

const berLength = (length: number): Buffer => {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.from([0x80 | octets.length, ...octets]);
};

/** `levels` nested NOT (0xa2) or AND (0xa0) around `(cn=*)`, built as BER without going through the encoder. */
const deepFilterBer = (tag: 0xa2 | 0xa0, levels: number): Buffer => {
  const leaf = Buffer.from([0x87, 0x02, 0x63, 0x6e]); // present: cn
  const headers: Buffer[] = [];
  let length = leaf.length;
  for (let i = 1; i < levels; i++) {
    const header = Buffer.concat([Buffer.from([tag]), berLength(length)]);
    headers.push(header);
    length += header.length;
  }
  return Buffer.concat([...headers.reverse(), leaf]);
};

/** A SearchRequest PDU (message 1, base "", baseObject) carrying `filterBer`. */
const searchPdu = (filterBer: Buffer): Buffer => {
  const before = Buffer.from('0400' + '0a0100' + '0a0100' + '020100' + '020100' + '010100', 'hex');
  const request = Buffer.concat([before, filterBer, Buffer.from('3000', 'hex')]);
  const op = Buffer.concat([Buffer.from([0x63]), berLength(request.length), request]);
  const body = Buffer.concat([Buffer.from('020101', 'hex'), op]);
  return Buffer.concat([Buffer.from([0x30]), berLength(body.length), body]);
};

const parseWithParser = (pdu: Buffer, maxDepth: number): LdapMessage[] => {
  const messages: LdapMessage[] = [];
  new MessageParser({ maxDepth }).feed(pdu, (message) => messages.push(message));
  return messages;
};

const searchFilter = (message: LdapMessage): Filter => {
  if (message.protocolOp.type !== 'searchRequest') throw new Error(`not a search request: ${message.protocolOp.type}`);
  return message.protocolOp.filter;
};

describe('filters nested deeper than the stack allows (issue 10, point 12)', () => {
  describe(`a ${HOSTILE_DEPTH}-deep filter with maxDepth 1e6`, () => {
    for (const kind of ['!', '&'] as const) {
      it(`parseFilter gives InvalidFilterError for a ${kind} chain, not RangeError`, () => {
        expectTyped(() => parseFilter(chainText(kind, HOSTILE_DEPTH), { maxDepth: 1e6 }), InvalidFilterError, /nested deeper than 512 levels/);
      });
    }

    for (const tag of [0xa2, 0xa0] as const) {
      const name = tag === 0xa2 ? 'NOT' : 'AND';
      it(`decodeMessage gives ProtocolError for a ${name} chain in a SearchRequest, not RangeError`, () => {
        expectTyped(() => decodeMessage(searchPdu(deepFilterBer(tag, HOSTILE_DEPTH)), { maxDepth: 1e6 }), ProtocolError, /nesting deeper than 512 levels/);
      });

      it(`MessageParser gives the reader's ProtocolError for a ${name} chain, not a wrapped RangeError`, () => {
        const error = thrownBy(() => parseWithParser(searchPdu(deepFilterBer(tag, HOSTILE_DEPTH)), 1e6));
        expect(error).to.be.instanceOf(ProtocolError);
        expect((error as ProtocolError).reason).to.match(/^nesting deeper than 512 levels/);
        expect((error as ProtocolError).cause).to.equal(undefined);
      });
    }

    for (const kind of ['not', 'and'] as const) {
      const deep = chain(kind, HOSTILE_DEPTH);
      it(`filterToString refuses a hand-built ${kind} chain with InvalidFilterError`, () => {
        expectTyped(() => filterToString(deep), InvalidFilterError, /nested deeper than 512 levels/);
      });
      it(`encodeFilter refuses a hand-built ${kind} chain with InvalidFilterError`, () => {
        expectTyped(() => encodeFilter(deep), InvalidFilterError, /nested deeper than 512 levels/);
      });
      it(`matches and compileFilter refuse a hand-built ${kind} chain with InvalidFilterError`, () => {
        expectTyped(() => matches(deep, entry), InvalidFilterError, /nested deeper than 512 levels/);
        expectTyped(() => compileFilter(deep), InvalidFilterError, /nested deeper than 512 levels/);
      });
      it(`the filter template refuses a hand-built ${kind} chain with InvalidFilterError`, () => {
        expectTyped(() => filter`(&(a=b)${deep})`, InvalidFilterError, /nested deeper than 512 levels/);
      });
    }
  });

  describe('the deepest filter that decodes goes through every downstream walk', () => {
    // LDAPMessage and SearchRequest take two of the reader's levels; the present filter at the
    // bottom is primitive and takes none, so the filter has one level more than it has NOT/AND.
    const deepest = MAX_DEPTH_LIMIT - 1;

    for (const tag of [0xa2, 0xa0] as const) {
      it(`a ${deepest}-level ${tag === 0xa2 ? 'NOT' : 'AND'} chain: decode, print, parse, encode, evaluate`, () => {
        const pdu = searchPdu(deepFilterBer(tag, deepest));
        const [message] = parseWithParser(pdu, 1e6);
        const decoded = searchFilter(message!);
        expect(searchFilter(decodeMessage(pdu, { maxDepth: 1e6 }))).to.deep.equal(decoded);
        const text = filterToString(decoded);
        expect(parseFilter(text, { maxDepth: 1e6 })).to.deep.equal(decoded);
        expect(encodeFilter(decoded).equals(deepFilterBer(tag, deepest))).to.equal(true);
        const expected = tag === 0xa0 || deepest % 2 === 1;
        expect(matches(decoded, entry)).to.equal(expected);
      });
    }

    it('one more level is refused as too deep, however high maxDepth is', () => {
      expectTyped(() => decodeMessage(searchPdu(deepFilterBer(0xa2, deepest + 1)), { maxDepth: 1e6 }), ProtocolError, /nesting deeper than 512/);
    });
  });

  describe('the limits', () => {
    it(`parseFilter takes up to ${FILTER_DEPTH_LIMIT} levels with a raised maxDepth, and no more`, () => {
      expect(parseFilter(chainText('!', FILTER_DEPTH_LIMIT), { maxDepth: 1e6 }).type).to.equal('not');
      expectTyped(() => parseFilter(chainText('!', FILTER_DEPTH_LIMIT + 1), { maxDepth: 1e6 }), InvalidFilterError, /nested deeper than 512/);
    });

    it(`filterToString, encodeFilter and matches take a ${FILTER_DEPTH_LIMIT}-level filter`, () => {
      const atLimit = chain('and', FILTER_DEPTH_LIMIT);
      expect(parseFilter(filterToString(atLimit), { maxDepth: FILTER_DEPTH_LIMIT })).to.deep.equal(atLimit);
      expect(encodeFilter(atLimit)[0]).to.equal(0xa0);
      expect(matches(atLimit, entry)).to.equal(true);
      expectTyped(() => filterToString(chain('and', FILTER_DEPTH_LIMIT + 1)), InvalidFilterError, /nested deeper than 512/);
    });

    it('a NaN maxDepth, which would switch the check off, is refused', () => {
      expect(() => parseFilter('(a=b)', { maxDepth: Number.NaN })).to.throw(TypeError, /maxDepth/);
      expect(() => decodeMessage(searchPdu(deepFilterBer(0xa2, 3)), { maxDepth: Number.NaN })).to.throw(TypeError, /maxDepth/);
      expect(() => new MessageParser({ maxDepth: Number.NaN })).to.throw(TypeError, /maxDepth/);
    });
  });
});

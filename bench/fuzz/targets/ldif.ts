/**
 * The LDIF reader on mutated LDIF, cut into chunks: fed to LdifParser chunk by chunk it must give
 * the records (or the LdifError, at the same line and column) that parseLdif gives for the whole
 * input; and what it accepts, the writer must write and the reader read back to the same records.
 */
import { isDeepStrictEqual } from 'node:util';
import { LdifError } from '../../../lib/errors';
import { LdifParser, formatLdif, parseLdif } from '../../../lib/ldif';
import type { LdifRecord } from '../../../lib/ldif';
import type { TextGrammar } from '../mutate-text';
import { mutateText } from '../mutate-text';
import type { Rng } from '../prng';
import { roundTrip } from '../round-trip';
import { expectRoundTrip } from '../target';
import type { FuzzTarget, TargetFactory } from '../target';

const SEEDS = [
  'dn: cn=a,dc=x\ncn: a\nobjectClass: top\nobjectClass: person\n',
  'version: 1\n\n# comment\n folded\ndn: cn=a,dc=x\r\ncn:: IGxlYWQ=\r\ndescription: one\r\n  two\r\n\r\ndn: cn=b\nsn: b\n',
  'dn:: Y249Sm9zw6k=\njpegPhoto:: /9j/4AAQSkZJRgABAQ\n AAAQABAAD/2w==\ncn;lang-en: x\n2.5.4.3: y\nx:\n',
  'dn: cn=a\ncontrol: 1.2.840.113556.1.4.805 true\ncontrol: 1.2.3 false:: AAE=\nchangetype: delete\n',
  'dn: cn=a\nchangetype: add\nobjectClass: top\ncn: a\n\ndn: cn=a\nchangetype: modify\nadd: mail\nmail: a@x\n-\ndelete: sn\n-\nreplace: cn\ncn: b\n-\nincrement: n\nn: 1\n-\n',
  'dn: cn=a,dc=x\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: 1\nnewsuperior: dc=y\n\ndn: cn=c\nchangetype: moddn\nnewrdn:: Y249Wm/Dqw==\ndeleteoldrdn: 0\n',
  'dn: cn=u\nuserPassword:< file:///etc/hostname\n',
  '\n\n# only comments\n\n\ndn: cn=x\ncn: x',
];

const LDIF_GRAMMAR: TextGrammar = {
  specials: ['\n', '\r\n', '\n ', '\n\n', '\r', ':', '::', ':<', ': ', '-\n', '#', 'dn:', 'dn::', 'version: 1\n', 'changetype: ', 'modify\n', 'add\n', 'delete\n', 'modrdn\n',
    'control: 1.2.3', ' true', ' false', 'add: cn\n', 'replace: cn\n', 'increment: n\n', 'newrdn: ', 'deleteoldrdn: 1\n', 'newsuperior: ', '=', '==', '/', '+', ';lang-en', ';', '\u0000'],
  escapeByte: (byte) => String.fromCharCode(byte),
  // Long folded lines and many records, up to some 100 KB: the reader is linear, and bigger
  // inputs only slow the fuzzer down (nesting again and again would grow them without end).
  nest: (text, depth, rng) => {
    if (rng.chance(1, 2)) return text + '\n x'.repeat(Math.min(depth, 2000));
    return `${text}\n\n`.repeat(Math.max(1, Math.min(depth, Math.floor(100_000 / (text.length + 2)))));
  },
};

interface LdifInput {
  bytes: Buffer;
  cuts: number[];
}

interface Outcome {
  records: LdifRecord[];
  error: unknown;
}

const whole = (bytes: Buffer): Outcome => {
  try {
    return { records: parseLdif(bytes), error: undefined };
  } catch (error) {
    return { records: [], error };
  }
};

const chunked = (input: LdifInput): Outcome => {
  const parser = new LdifParser();
  const records: LdifRecord[] = [];
  const onRecord = (record: LdifRecord): void => {
    records.push(record);
  };
  let start = 0;
  try {
    for (const cut of input.cuts) {
      parser.feed(input.bytes.subarray(start, cut), onRecord);
      start = cut;
    }
    parser.feed(input.bytes.subarray(start), onRecord);
    parser.end(onRecord);
    return { records, error: undefined };
  } catch (error) {
    return { records: [], error };
  }
};

const withoutLines = (records: readonly LdifRecord[]): unknown[] => records.map(({ line: _line, ...record }) => record);
const message = (error: unknown): string | undefined => (error === undefined ? undefined : error instanceof Error ? error.message : 'not an Error');

export const createLdifTarget: TargetFactory = () => {
  const target: FuzzTarget<LdifInput> = {
    name: 'ldif',
    about: 'LdifParser fed in chunks agrees with parseLdif on the whole; what parses is written by formatLdif and read back the same',
    refusals: [LdifError],
    generate(rng: Rng) {
      const text = mutateText(rng, rng.pick(SEEDS), rng.pick(SEEDS), LDIF_GRAMMAR);
      const bytes = Buffer.from(text, rng.chance(1, 4) ? 'latin1' : 'utf8');
      const count = rng.below(4);
      const cuts = Array.from({ length: count }, () => rng.below(bytes.length + 1)).sort((a, b) => a - b);
      return { bytes, cuts };
    },
    run(input) {
      const reference = whole(input.bytes);
      const streamed = chunked(input);
      expectRoundTrip(message(streamed.error) === message(reference.error), () => `chunked: ${message(streamed.error)}, whole: ${message(reference.error)}`);
      expectRoundTrip(isDeepStrictEqual(streamed.records, reference.records), () => 'chunked input gave other records than the whole input');
      if (reference.error !== undefined) throw reference.error;
      roundTrip('parseLdif(formatLdif(records))', () => {
        const again = parseLdif(formatLdif(reference.records));
        expectRoundTrip(isDeepStrictEqual(withoutLines(again), withoutLines(reference.records)), () => 'the records read back differently after formatLdif');
      });
    },
    show: (input) => JSON.stringify({ hex: input.bytes.toString('hex'), cuts: input.cuts }),
  };
  return target;
};

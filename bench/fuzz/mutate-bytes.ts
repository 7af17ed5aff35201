/**
 * Mutations of BER inputs: structural ones on a parsed tree of a valid seed (every length stays
 * consistent, so the input reaches the decoder's inner rules), then raw ones on the bytes
 * (length fields made huge, indefinite or long, tags changed, bits flipped, bytes inserted or
 * deleted, truncation, splicing with another seed).
 */
import { parseTlvs, writeTlvs } from './ber-tree';
import type { TlvNode } from './ber-tree';
import type { Rng } from './prng';

/** Tags LDAP uses, so a retagged node often lands on another rule instead of a plain mismatch. */
const TAGS = [
  0x01, 0x02, 0x04, 0x05, 0x0a, 0x30, 0x31, 0x60, 0x61, 0x42, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x4a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x50, 0x73,
  0x77, 0x78, 0x79, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0x8a, 0x8b, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0x1f, 0xff, 0x00,
];
/** Constructed tags to nest with: SEQUENCE, SET, and/or/not filters, controls. */
const WRAP_TAGS = [0x30, 0x31, 0xa0, 0xa1, 0xa2, 0xa0, 0xa2];
const DEPTHS = [1, 2, 3, 8, 30, 31, 32, 33, 62, 63, 64, 65, 66, 100];
const HUGE_DEPTHS = [1000, 5000];
/** A tree mutation that grows the input past this is dropped: huge inputs cost much and find little. */
const MAX_TREE_OUTPUT = 256 * 1024;
/** Contents that sit on a boundary: empty, sign bits, int32 limits, 2^48, invalid UTF-8. */
const CONTENTS = [
  [], [0x00], [0xff], [0x80], [0x7f], [0x00, 0x00], [0xff, 0xff], [0x80, 0x00, 0x00, 0x00], [0x7f, 0xff, 0xff, 0xff], [0x00, 0x80, 0x00, 0x00, 0x00],
  [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], [0xff, 0x7f, 0xff, 0xff, 0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xef, 0xbb, 0xbf], [0x30, 0x00], [0x04, 0x84, 0xff, 0xff, 0xff, 0xff], [0x31, 0x80],
].map((bytes) => Buffer.from(bytes));
/** Replacement length fields: indefinite, reserved, too many octets, huge, and plain wrong. */
const LENGTHS = [
  [0x80], [0xff], [0x85, 0x01, 0x00, 0x00, 0x00, 0x00], [0x88, 0, 0, 0, 0, 0, 0, 0, 1], [0x84, 0xff, 0xff, 0xff, 0xff], [0x84, 0x7f, 0xff, 0xff, 0xff],
  [0x84, 0x01, 0x00, 0x00, 0x01], [0x83, 0xff, 0xff, 0xff], [0x82, 0xff, 0xff], [0x81, 0xff], [0x81], [0x84], [0x7f], [0x00], [0x01],
].map((bytes) => Buffer.from(bytes));
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x84, 0xff, 0x30, 0x04, 0x0a, 0x02, 0x20];

/** Structural mutations: the result is still a well-formed TLV sequence. */
const mutateTree = (rng: Rng, roots: TlvNode[], all: TlvNode[]): void => {
  const rounds = rng.between(1, 3);
  for (let round = 0; round < rounds; round++) {
    const node = rng.pick(all);
    switch (rng.below(7)) {
      case 0: {
        const depth = rng.chance(1, 32) ? rng.pick(HUGE_DEPTHS) : rng.pick(DEPTHS);
        const tag = (node.tag & 0xe0) === 0xa0 && rng.chance(3, 4) ? rng.pick([0xa0, 0xa1, 0xa2]) : rng.pick(WRAP_TAGS);
        node.wraps = new Array<number>(depth).fill(tag);
        break;
      }
      case 1:
        node.lengthOctets = rng.between(1, 4);
        break;
      case 2: {
        const siblings = node.children ?? roots;
        if (siblings.length === 0) break;
        const copies = rng.chance(1, 16) ? 200 : rng.pick([1, 2, 10]);
        const child = rng.pick(siblings);
        for (let i = 0; i < copies; i++) siblings.splice(rng.below(siblings.length + 1), 0, child);
        break;
      }
      case 3:
        if (node.children !== undefined && node.children.length > 0) node.children.splice(rng.below(node.children.length), 1);
        break;
      case 4:
        node.tag = rng.chance(1, 2) ? rng.pick(TAGS) : node.tag ^ (1 << rng.below(8));
        break;
      case 5:
        node.children = undefined;
        node.content = rng.pick(CONTENTS);
        break;
      default: {
        node.children = undefined;
        const bytes = Buffer.allocUnsafe(rng.smallish(300));
        for (let i = 0; i < bytes.length; i++) bytes[i] = rng.next() & 0xff;
        node.content = bytes;
      }
    }
  }
};

const replace = (buf: Buffer, at: number, removed: number, inserted: Buffer): Buffer =>
  Buffer.concat([buf.subarray(0, at), inserted, buf.subarray(at + removed)]);

/** The length field at `at`: how many octets it occupies (best effort on mutated bytes). */
const lengthFieldSize = (buf: Buffer, at: number): number => {
  const first = buf[at];
  if (first === undefined || first < 0x81 || first === 0xff) return 1;
  return Math.min(1 + (first & 0x7f), buf.length - at);
};

/** Raw mutations on bytes; `headers` are offsets of length fields (may be stale after the first). */
const mutateRaw = (rng: Rng, input: Buffer, headers: readonly number[], other: Buffer): Buffer => {
  let buf = input;
  // Whether buf is this input's own memory: a seed or a subarray of one must be copied before a
  // write, or the seed changes for every later input and runs stop being reproducible.
  let owned = false;
  const writable = (): Buffer => {
    if (!owned) {
      buf = Buffer.from(buf);
      owned = true;
    }
    return buf;
  };
  const rounds = rng.between(1, 3);
  for (let round = 0; round < rounds; round++) {
    switch (rng.below(9)) {
      case 0:
      case 1: {
        if (headers.length === 0) break;
        const at = rng.pick(headers);
        if (at >= buf.length) break;
        buf = replace(buf, at, lengthFieldSize(buf, at), rng.pick(LENGTHS));
        owned = true;
        break;
      }
      case 2: {
        if (buf.length === 0) break;
        const flips = rng.between(1, 4);
        for (let i = 0; i < flips; i++) writable()[rng.below(buf.length)]! ^= 1 << rng.below(8);
        break;
      }
      case 3: {
        if (buf.length === 0) break;
        writable()[rng.below(buf.length)] = rng.chance(1, 2) ? rng.pick(INTERESTING_BYTES) : rng.next() & 0xff;
        break;
      }
      case 4: {
        const inserted = Buffer.allocUnsafe(rng.between(1, 8));
        for (let i = 0; i < inserted.length; i++) inserted[i] = rng.chance(1, 2) ? rng.pick(INTERESTING_BYTES) : rng.next() & 0xff;
        buf = replace(buf, rng.below(buf.length + 1), 0, inserted);
        owned = true;
        break;
      }
      case 5:
        buf = replace(buf, rng.below(buf.length + 1), rng.smallish(16), Buffer.alloc(0));
        owned = true;
        break;
      case 6:
        buf = buf.subarray(0, rng.below(buf.length + 1));
        break;
      case 7:
        buf = Buffer.concat([buf.subarray(0, rng.below(buf.length + 1)), other.subarray(rng.below(other.length + 1))]);
        owned = true;
        break;
      default: {
        const start = rng.below(buf.length + 1);
        const piece = buf.subarray(start, start + rng.smallish(32));
        buf = replace(buf, rng.below(buf.length + 1), 0, piece);
        owned = true;
      }
    }
  }
  return buf;
};

/** A valid input and the offsets of its length fields, computed once. */
export interface BerSeed {
  bytes: Buffer;
  headers: readonly number[];
}

export const berSeed = (bytes: Buffer): BerSeed => {
  const headers: number[] = [];
  const roots = parseTlvs(bytes, 0, bytes.length, []);
  if (roots !== undefined) writeTlvs(roots, headers);
  return { bytes, headers };
};

/**
 * One mutated input from a valid seed: unchanged now and then (so valid paths and round trips
 * run too), otherwise tree mutations, raw mutations, or both.
 */
export const mutateBer = (rng: Rng, seed: BerSeed, other: BerSeed): Buffer => {
  const mode = rng.below(16);
  if (mode === 0) return seed.bytes;
  if (mode >= 10) return mutateRaw(rng, seed.bytes, seed.headers, other.bytes);
  const all: TlvNode[] = [];
  const roots = parseTlvs(seed.bytes, 0, seed.bytes.length, all);
  if (roots === undefined || all.length === 0) return mutateRaw(rng, seed.bytes, seed.headers, other.bytes);
  mutateTree(rng, roots, all);
  const headers: number[] = [];
  const bytes = writeTlvs(roots, headers, MAX_TREE_OUTPUT);
  if (bytes === undefined) return mutateRaw(rng, seed.bytes, seed.headers, other.bytes);
  return mode <= 6 ? bytes : mutateRaw(rng, bytes, headers, other.bytes);
};

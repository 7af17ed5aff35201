/**
 * A loose BER tree for structure-aware mutation: parse a valid seed into nodes, change the tree
 * (wrap, repeat, drop, retag, replace contents), and write it back with every enclosing length
 * recomputed. Inputs made this way pass the framing checks and reach the deep decoder paths that
 * blind byte flips almost never reach.
 */

export interface TlvNode {
  tag: number;
  /** Children of a constructed value; undefined for a primitive one. */
  children: TlvNode[] | undefined;
  /** Contents of a primitive value. */
  content: Buffer;
  /** 0: the shortest length form; 1..4: that many length octets (non-minimal long form). */
  lengthOctets: number;
  /** Extra constructed layers around this node, outermost first (deep-nesting mutation). */
  wraps: number[] | undefined;
}

const CONSTRUCTED = 0x20;
/** Parsing stops descending here: seeds are shallow, and this keeps the parser's stack small. */
const MAX_PARSE_DEPTH = 100;

/** Parses `buf[start, end)` as a sequence of TLVs; undefined when it is not well formed. */
export const parseTlvs = (buf: Buffer, start: number, end: number, all: TlvNode[], depth = 0): TlvNode[] | undefined => {
  const nodes: TlvNode[] = [];
  let pos = start;
  while (pos < end) {
    const tag = buf[pos]!;
    if ((tag & 0x1f) === 0x1f || pos + 1 >= end) return undefined;
    let length = buf[pos + 1]!;
    let contentAt = pos + 2;
    if (length >= 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4 || contentAt + count > end) return undefined;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + buf[contentAt + i]!;
      contentAt += count;
    }
    const contentEnd = contentAt + length;
    if (contentEnd > end) return undefined;
    const node: TlvNode = { tag, children: undefined, content: buf.subarray(contentAt, contentEnd), lengthOctets: 0, wraps: undefined };
    if ((tag & CONSTRUCTED) !== 0 && depth < MAX_PARSE_DEPTH) {
      const children = parseTlvs(buf, contentAt, contentEnd, all, depth + 1);
      if (children === undefined) return undefined;
      node.children = children;
    }
    all.push(node);
    nodes.push(node);
    pos = contentEnd;
  }
  return nodes;
};

const lengthSize = (length: number, forced: number): number => {
  if (forced > 0) return 1 + forced;
  if (length < 0x80) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  if (length < 0x1000000) return 4;
  return 5;
};

const contentSize = (node: TlvNode): number => {
  if (node.children === undefined) return node.content.length;
  let size = 0;
  for (const child of node.children) size += nodeSize(child);
  return size;
};

/** The size of the node with its wraps. Lengths past 2^32 cannot be written; callers keep trees small. */
const nodeSize = (node: TlvNode): number => {
  const inner = contentSize(node);
  let size = 1 + lengthSize(inner, node.lengthOctets) + inner;
  if (node.wraps !== undefined) for (let i = node.wraps.length - 1; i >= 0; i--) size += 1 + lengthSize(size, 0);
  return size;
};

/** Writes a length in `octets` long-form octets (or the shortest form when 0); returns the new offset. */
const writeLength = (out: Buffer, pos: number, length: number, forced: number): number => {
  const size = lengthSize(length, forced);
  if (size === 1) {
    out[pos] = length;
    return pos + 1;
  }
  const count = size - 1;
  out[pos] = 0x80 | count;
  for (let i = count; i >= 1; i--) {
    out[pos + i] = length & 0xff;
    length = Math.floor(length / 256);
  }
  return pos + size;
};

const writeNode = (out: Buffer, pos: number, node: TlvNode, headers: number[]): number => {
  const inner = contentSize(node);
  if (node.wraps !== undefined) {
    // Sizes from the inside out, then the headers from the outside in: no recursion per layer,
    // so a 10,000-deep wrap costs the fuzzer no stack.
    const sizes = new Array<number>(node.wraps.length);
    let size = 1 + lengthSize(inner, node.lengthOctets) + inner;
    for (let i = node.wraps.length - 1; i >= 0; i--) {
      sizes[i] = size;
      size += 1 + lengthSize(size, 0);
    }
    for (let i = 0; i < node.wraps.length; i++) {
      out[pos++] = node.wraps[i]!;
      headers.push(pos);
      pos = writeLength(out, pos, sizes[i]!, 0);
    }
  }
  out[pos++] = node.tag;
  headers.push(pos);
  pos = writeLength(out, pos, inner, node.lengthOctets);
  if (node.children === undefined) {
    node.content.copy(out, pos);
    return pos + node.content.length;
  }
  for (const child of node.children) pos = writeNode(out, pos, child, headers);
  return pos;
};

/**
 * Serialises the nodes; `headers` receives the offset of every length octet written.
 * Returns undefined when the result would be larger than `maxSize` octets.
 */
export const writeTlvs = (nodes: readonly TlvNode[], headers: number[], maxSize = Infinity): Buffer | undefined => {
  let size = 0;
  for (const node of nodes) size += nodeSize(node);
  if (size > maxSize) return undefined;
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const node of nodes) pos = writeNode(out, pos, node, headers);
  return out;
};

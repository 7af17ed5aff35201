import { nodeZlib } from '../../util/lazy-builtins';

let table: Uint32Array | undefined;

/** CRC-32 (IEEE, as zlib and gzip) by table, for Node versions before 20.15 (no zlib.crc32). */
export const crc32ByTable = (data: Uint8Array): number => {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};

let chosen: ((data: Uint8Array) => number) | undefined;

/** CRC-32 of the bytes: zlib's own where Node has it, the same function by table otherwise. */
export const crc32 = (data: Uint8Array): number => {
  if (chosen === undefined) {
    const native = (nodeZlib() as { crc32?: (data: Uint8Array) => number }).crc32;
    chosen = native === undefined ? crc32ByTable : (bytes) => native(bytes);
  }
  return chosen(data);
};

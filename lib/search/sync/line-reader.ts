import { nodeFs } from '../../util/lazy-builtins';

/** One line of a file, without its newline, and where it starts. */
export interface FileLine {
  readonly line: Buffer;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** False for a last line that has no newline (a write a crash cut short). */
  readonly complete: boolean;
}

const NEWLINE = 0x0a;
const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * The lines of a file, read a chunk at a time: never the whole file as one Buffer or string
 * (V8 refuses strings past about 512 MiB, and a store file may be larger), only one line at a
 * time, as large as that line. Yields nothing for a missing file when `missingOk`.
 */
export async function* readLines(path: string, options: { chunkBytes?: number; missingOk?: boolean } = {}): AsyncGenerator<FileLine> {
  let handle;
  try {
    handle = await nodeFs().open(path, 'r');
  } catch (error) {
    if (options.missingOk === true && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    let carried: Buffer[] = []; // the start of a line that spans chunks
    let lineStart = 0;
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes); // a new one each time: yielded lines are views of it
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = chunk.subarray(0, bytesRead);
      let from = 0;
      for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, from)) {
        const piece = data.subarray(from, end);
        const line = carried.length === 0 ? piece : Buffer.concat([...carried, piece]);
        carried = [];
        yield { line, offset: lineStart, complete: true };
        lineStart += line.length + 1;
        from = end + 1;
      }
      if (from < data.length) carried.push(data.subarray(from));
    }
    if (carried.length > 0) yield { line: Buffer.concat(carried), offset: lineStart, complete: false };
  } finally {
    await handle.close();
  }
}

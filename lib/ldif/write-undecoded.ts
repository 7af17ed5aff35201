/**
 * An entry written as LDIF straight from the BER of its attribute list (an UndecodedEntry, what
 * ldifStream's own search receives), byte for byte what writeLdifRecord writes for the same
 * entry decoded: the same names checked, the same values plain or base64, folded the same.
 * Why: decoding made a Buffer of every value and an object of every attribute only for the
 * writer to copy their bytes out again, and that cost as much as the writing.
 *
 * The list was checked to be of the usual shape when it was received (usual-attributes.ts):
 * every attribute a SEQUENCE of a short type and a SET of short OCTET STRINGs, inside the list.
 */
import type { UndecodedEntry } from '../protocol/undecoded-entry';
import { UsualAttributeCursor } from '../protocol/usual-attributes';
import type { LdifSink } from './sink';
import { base64Line, DN, isPlainRange, textLine } from './write';
import type { Heads, LdifFormat, RecentNames } from './write';

/** One value, `buffer[from, to)`, as valueLine writes it. */
const rangeLine = (sink: LdifSink, head: Heads, buffer: Buffer, from: number, to: number, format: LdifFormat, forced: boolean): void => {
  if (from === to) {
    sink.reserveLine(head.empty.length);
    sink.bytes(head.empty);
    sink.endLine();
    return;
  }
  if (!forced) {
    // Most values fit on their line: checked and copied in one pass.
    if (sink.plainRangeLine(head.plain, buffer, from, to, format.printable)) return;
    if (isPlainRange(buffer, from, to, format.printable)) {
      sink.reserveLine(head.plain.length + (to - from));
      sink.bytes(head.plain);
      sink.range(buffer, from, to);
      sink.endLine();
      return;
    }
  }
  base64Line(sink, head, buffer, from, to);
};

export const writeUndecodedEntry = (sink: LdifSink, entry: UndecodedEntry, format: LdifFormat, recent: RecentNames): void => {
  textLine(sink, DN, entry.objectName, format);
  const cursor = new UsualAttributeCursor(entry.buffer, entry.start, entry.end);
  for (let position = 0; cursor.next(); position++) {
    const { info, forced } = recent.resolve(cursor.type, position);
    while (cursor.nextValue()) rangeLine(sink, info, cursor.buffer, cursor.from, cursor.to, format, forced);
  }
};

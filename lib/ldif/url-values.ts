/**
 * `name:< url` values (RFC 2849): the value is what the URL points to. Reading whatever a file
 * names is a way for an LDIF file to pull other files into a directory, so the reader refuses
 * URLs unless its caller allowed them, and even then reads only `file:` URLs, synchronously (the
 * record is parsed in one go), and no file larger than the record size limit.
 */
import { LdifLimitError, LdifUrlError } from '../errors/ldif';
import { nodeFsSync, nodeUrl } from '../util/lazy-builtins';

/** Gives a URL value's bytes, or throws an LdifError for the URL at `line`, `column`. */
export type UrlResolver = (url: string, line: number, column: number) => Buffer;

export const refuseUrls: UrlResolver = (_url, line, column) => {
  throw new LdifUrlError(line, column, 'URL values (name:< url) are refused unless the reader is created with allowFileUrls: true');
};

export const fileUrlResolver =
  (maxBytes: number): UrlResolver =>
  (url, line, column) => {
    if (!/^file:/i.test(url)) throw new LdifUrlError(line, column, 'only file: URLs are read');
    let path: string;
    try {
      path = nodeUrl().fileURLToPath(url);
    } catch (cause) {
      throw new LdifUrlError(line, column, 'not a file URL this system can open (a file: URL names an absolute local path)', { cause });
    }
    const fs = nodeFsSync();
    let size: number;
    try {
      const stat = fs.statSync(path);
      if (!stat.isFile()) throw new LdifUrlError(line, column, 'the URL does not name a regular file');
      size = stat.size;
    } catch (cause) {
      if (cause instanceof LdifUrlError) throw cause;
      throw new LdifUrlError(line, column, `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
    }
    if (size > maxBytes) throw new LdifLimitError(line, column, maxBytes);
    try {
      return fs.readFileSync(path);
    } catch (cause) {
      throw new LdifUrlError(line, column, `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
    }
  };

import { nodeCrypto } from '../util/lazy-builtins';

/**
 * How many pages in a row may bring no entry while the server still returns a cookie. An empty
 * middle page is legal (a server may stop a page on a time or look-through budget, or after
 * access controls hid what it read), so a few are allowed; a server that never brings anything
 * would otherwise be asked for pages forever. Each empty page is one small round trip, so the
 * bound costs a hostile server's victim milliseconds, and leaves a sparse real directory room.
 */
export const DEFAULT_MAX_EMPTY_PAGES = 100;

/**
 * Watches a paged search for a server that has stopped advancing: the client would otherwise
 * ask for the next page forever (a server answering every cookie with itself drew 121,000
 * requests in 5 s). Memory is constant: one running hash of the current page's DNs and the
 * fingerprint of the page before.
 *
 * A repeated cookie alone is not a loop: 389-ds answers every page of a search with the same
 * cookie (its slot number, "0") and keeps its position on its side. What cannot be progress is
 * the same cookie with the same page again: a server whose cookie carries the position will
 * answer it the same way for ever, and one that keeps it itself has just sent entries twice.
 */
export class PageProgress {
  private hash = nodeCrypto().createHash('sha256');
  private entries = 0;
  private previousFingerprint: string | undefined;
  private emptyRun = 0;

  constructor(private readonly maxEmptyPages: number = DEFAULT_MAX_EMPTY_PAGES) {}

  /** Counts an entry of the current page. */
  entry(dn: string): void {
    this.entries++;
    // The length prefix keeps two DN lists that concatenate alike apart.
    this.hash.update(`${dn.length}:${dn}`);
  }

  /**
   * Closes the current page, which was asked for with `sentCookie` and ended with the non-empty
   * `cookie`; `index` is its number. Gives why the server is not advancing, or undefined.
   */
  pageEnd(index: number, sentCookie: Buffer, cookie: Buffer): string | undefined {
    const entries = this.entries;
    const fingerprint = `${entries}:${this.hash.digest('base64')}`;
    const previousFingerprint = this.previousFingerprint;
    this.hash = nodeCrypto().createHash('sha256');
    this.entries = 0;
    this.previousFingerprint = fingerprint;
    if (cookie.equals(sentCookie) && fingerprint === previousFingerprint) {
      return `the server answered page ${index} with the cookie it was asked with and the same ${entries === 0 ? 'empty page' : `${entries} entries`} as page ${index - 1}: it is repeating itself`;
    }
    this.emptyRun = entries === 0 ? this.emptyRun + 1 : 0;
    if (this.emptyRun > this.maxEmptyPages) {
      return `the server sent ${this.emptyRun} pages in a row without an entry while returning a cookie for more (maxEmptyPages is ${this.maxEmptyPages})`;
    }
    return undefined;
  }
}

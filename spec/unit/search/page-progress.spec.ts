import { expect } from 'chai';
import { PageProgress } from '../../../lib/search/page-progress';

const cookie = (text: string): Buffer => Buffer.from(text);
/** Feeds one page of `dns`, asked for with `sent`, ended with `next`. */
const page = (progress: PageProgress, index: number, sent: string, next: string, dns: string[]): string | undefined => {
  for (const dn of dns) progress.entry(dn);
  return progress.pageEnd(index, cookie(sent), cookie(next));
};

describe('PageProgress (a paged search that stops advancing)', () => {
  it('a page equal to the one before, asked for and answered with the same cookie, is a loop', () => {
    const progress = new PageProgress();
    expect(page(progress, 0, '', 'c', ['cn=a'])).to.equal(undefined);
    expect(page(progress, 1, 'c', 'c', ['cn=a'])).to.match(/same 1 entries as page 0/);
  });

  it('the same cookie with other entries is progress (389-ds keeps one cookie per search)', () => {
    const progress = new PageProgress();
    for (let i = 0; i < 50; i++) expect(page(progress, i, i === 0 ? '' : '0', '0', [`cn=${i}`])).to.equal(undefined);
  });

  it('the same entries under a new cookie are not a repeat; DN lists that concatenate alike stay apart', () => {
    const progress = new PageProgress();
    expect(page(progress, 0, '', 'a', ['cn=x'])).to.equal(undefined);
    expect(page(progress, 1, 'a', 'b', ['cn=x'])).to.equal(undefined);
    expect(page(progress, 2, 'b', 'b', ['cn=', 'x'])).to.equal(undefined);
  });

  it('counts empty pages in a row, and an entry resets the count', () => {
    const progress = new PageProgress(2);
    expect(page(progress, 0, '', 'a', [])).to.equal(undefined);
    expect(page(progress, 1, 'a', 'b', [])).to.equal(undefined);
    expect(page(progress, 2, 'b', 'c', ['cn=x'])).to.equal(undefined);
    expect(page(progress, 3, 'c', 'd', [])).to.equal(undefined);
    expect(page(progress, 4, 'd', 'e', [])).to.equal(undefined);
    expect(page(progress, 5, 'e', 'f', [])).to.match(/3 pages in a row without an entry .*maxEmptyPages is 2/);
  });

  it('Infinity turns the empty-page bound off, not the repeat check', () => {
    const progress = new PageProgress(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 500; i++) expect(page(progress, i, `c${i - 1}`, `c${i}`, [])).to.equal(undefined);
    expect(page(progress, 500, 'c499', 'c499', [])).to.match(/repeating itself/);
  });
});

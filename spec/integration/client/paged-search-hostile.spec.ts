/**
 * pagedSearch against servers that never let it finish (issue 10, point 6). A server that
 * answered every cookie with the same cookie drew 121,000 page requests in 5 s, and `await`
 * grew to 487 MiB: the per-page timeout never fires when every page is answered.
 */
import { expect } from 'chai';
import { Client, ProtocolError, pagedResultsControl } from '../../support/all-of-lib';
import type { LdapMessage, PagedResultsControl, SearchPage } from '../../support/all-of-lib';
import { startFakeServer } from '../../support/fake-server';
import type { FakeServer, FakeSession } from '../../support/fake-server';

/** What a scripted server answers to page `index` (0-based), asked for with `cookie`. */
interface PageScript {
  entries: string[];
  cookie: string;
}

/**
 * On the code before the fix the client never stops asking; past this many pages the fake
 * server goes silent, so such a client hangs (and the spec fails on `within`) instead of
 * spinning the CPU for the rest of the run.
 */
const SERVER_PAGE_LIMIT = 1_000;

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms))]);

const pagingControl = (message: LdapMessage): PagedResultsControl | undefined => message.controls?.find((c): c is PagedResultsControl => c.type === 'pagedResults');

const pagedServer = (script: (index: number) => PageScript): Promise<FakeServer> => {
  let pages = 0;
  return startFakeServer((request: LdapMessage, session: FakeSession) => {
    const op = request.protocolOp;
    if (op.type !== 'searchRequest') return;
    const size = pagingControl(request)?.value.size ?? 0;
    const done = (cookie: string): void =>
      session.send({ messageId: request.messageId, protocolOp: { type: 'searchResDone', resultCode: 0, matchedDN: '', diagnosticMessage: '' }, controls: [pagedResultsControl({ size: 0, cookie: Buffer.from(cookie) })] });
    if (size === 0) return done(''); // the release of the paged state
    if (pages >= SERVER_PAGE_LIMIT) return;
    const page = script(pages++);
    for (const dn of page.entries) session.send({ messageId: request.messageId, protocolOp: { type: 'searchResEntry', objectName: dn, attributes: [] } });
    done(page.cookie);
  });
};

/** The paged results control of every search request the server received, in order. */
const pageRequests = (server: FakeServer): Array<{ size: number; cookie: string }> =>
  server.sessions.flatMap((session) =>
    session.received.flatMap((m) => {
      const control = m.protocolOp.type === 'searchRequest' ? pagingControl(m) : undefined;
      return control === undefined ? [] : [{ size: control.value.size, cookie: Buffer.from(control.value.cookie).toString() }];
    }),
  );

const waitFor = async (condition: () => boolean, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('pagedSearch against a server that does not advance', function () {
  this.timeout(30_000);
  let server: FakeServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.unbind().catch(() => undefined);
    await server?.close();
    client = undefined;
    server = undefined;
  });

  const run = async (script: (index: number) => PageScript, options: { maxEmptyPages?: number } = {}): Promise<unknown> => {
    server = await pagedServer(script);
    client = new Client({ url: server.url, timeout: 5_000 });
    return within(client.pagedSearch('dc=example', { pageSize: 10, ...options }).then((entries) => entries, (e: unknown) => e), 10_000, 'the paged search');
  };

  it('the same cookie with the same entries again: ProtocolError after 2 page requests, and the paged state is released', async () => {
    const outcome = await run(() => ({ entries: ['cn=same,dc=example'], cookie: 'stuck' }));
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect((outcome as ProtocolError).message).to.match(/page 1 with the cookie it was asked with and the same 1 entries as page 0: it is repeating itself/);
    await waitFor(() => pageRequests(server!).some((r) => r.size === 0));
    expect(pageRequests(server!)).to.deep.equal([
      { size: 10, cookie: '' },
      { size: 10, cookie: 'stuck' },
      { size: 0, cookie: 'stuck' },
    ]);
  });

  it('the same cookie and no entries, again and again: ProtocolError after 2 page requests', async () => {
    const outcome = await run(() => ({ entries: [], cookie: 'stuck' }));
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect((outcome as ProtocolError).message).to.match(/same empty page as page 0/);
    expect(pageRequests(server!).filter((r) => r.size > 0)).to.have.length(2);
  });

  it('empty pages with a fresh cookie each time: ProtocolError after 101 page requests (100 empty pages in a row are allowed)', async () => {
    const outcome = await run((index) => ({ entries: [], cookie: `c${index}` }));
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect((outcome as ProtocolError).message).to.match(/101 pages in a row without an entry while returning a cookie for more \(maxEmptyPages is 100\)/);
    expect(pageRequests(server!).filter((r) => r.size > 0)).to.have.length(101);
  });

  it('maxEmptyPages lowers the bound, and .pages() fails the same way without delivering the offending page', async () => {
    server = await pagedServer((index) => ({ entries: [], cookie: `c${index}` }));
    client = new Client({ url: server.url, timeout: 5_000 });
    const seen: SearchPage[] = [];
    const outcome = await within(
      new Promise<unknown>((resolve) => {
        client!.pagedSearch('dc=example', { pageSize: 10, maxEmptyPages: 3 }).pages().subscribe({ next: (page) => seen.push(page), error: resolve, complete: () => resolve('complete') });
      }),
      10_000,
      'pages()',
    );
    expect(outcome).to.be.instanceOf(ProtocolError);
    expect(seen.map((p) => p.index)).to.deep.equal([0, 1, 2]);
    expect(pageRequests(server).filter((r) => r.size > 0)).to.have.length(4);
  });

  it('389-ds style: the same cookie on every page with new entries each time is a normal search', async () => {
    // 389-ds answers with its paged-results slot number, the same for every page.
    const outcome = await run((index) => ({ entries: [`cn=a${index},dc=example`, `cn=b${index},dc=example`], cookie: index < 4 ? '0' : '' }));
    expect(outcome).to.be.an('array');
    expect((outcome as Array<{ dn: string }>).map((e) => e.dn)).to.have.length(10);
    expect(pageRequests(server!).map((r) => r.cookie)).to.deep.equal(['', '0', '0', '0', '0']);
  });

  it('a few empty pages between full ones are legal', async () => {
    const outcome = await run((index) => ({ entries: index % 3 === 2 ? ['cn=x' + String(index) + ',dc=example'] : [], cookie: index < 8 ? `c${index}` : '' }));
    expect(outcome).to.be.an('array');
    expect((outcome as unknown[]).length).to.equal(3);
  });

  it('maxEmptyPages must be an integer from 0, or Infinity', () => {
    const bare = new Client({ url: 'ldap://127.0.0.1:1' });
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => bare.pagedSearch('dc=x', { maxEmptyPages: bad }), String(bad)).to.throw(RangeError, /maxEmptyPages/);
    expect(() => bare.pagedSearch('dc=x', { maxEmptyPages: Number.POSITIVE_INFINITY })).not.to.throw();
  });
});

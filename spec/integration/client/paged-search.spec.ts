import { expect } from 'chai';
import * as sinon from 'sinon';
import { firstValueFrom } from 'rxjs';
import { AbandonedError, Client, Connection, LdapError } from '../../support/all-of-lib';
import type { Control, LdapMessage, PagedResultsControl, RequestOp, SearchPage } from '../../support/all-of-lib';
import { startSlapd } from '../../support/slapd';
import type { SlapdInstance } from '../../support/slapd';
import { PEOPLE_DN, generatePeople, personDN, personPassword, personUid } from '../../support/data';

const PEOPLE = 20_000;
const PAGE = 500;
/** generatePeople numbers 20,000 people with five digits. */
const uid = (i: number): string => personUid(i, 5);

/** The paged results control of each search request the spied connections sent, in order. */
const pageRequests = (spy: sinon.SinonSpy<Parameters<Connection['request']>, number>): Array<{ size: number; cookie: Buffer }> =>
  spy.getCalls().flatMap((call) => {
    const op: RequestOp = call.args[0];
    const controls: readonly Control[] | undefined = call.args[1];
    if (op.type !== 'searchRequest') return [];
    const paged = controls?.find((c): c is PagedResultsControl => c.type === 'pagedResults');
    return paged === undefined ? [] : [paged.value];
  });

const waitFor = async (condition: () => boolean, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('pagedSearch against slapd (RFC 2696)', function () {
  this.timeout(120_000);
  let slapd: SlapdInstance;
  let admin: Client;
  let spy: sinon.SinonSpy<Parameters<Connection['request']>, number>;

  before(async () => {
    slapd = await startSlapd({ ldif: generatePeople(PEOPLE, { groupSize: 0 }), extraLimits: ['users size.prtotal=disabled'] });
    admin = new Client({ url: slapd.url, timeout: 30_000 });
    await admin.bind(slapd.adminDN, slapd.adminPassword);
  });
  after(async () => {
    await admin?.unbind();
    await slapd?.stop();
  });
  beforeEach(() => {
    spy = sinon.spy(Connection.prototype, 'request');
  });
  afterEach(() => spy.restore());

  it(`returns each of ${PEOPLE} entries exactly once over pages of ${PAGE}`, async () => {
    const entries = await admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: PAGE, attributes: ['uid'] });
    const dns = new Set(entries.map((e) => e.dn.toLowerCase()));
    expect(entries).to.have.length(PEOPLE);
    expect(dns.size).to.equal(PEOPLE);
    expect(dns.has(personDN(uid(1)).toLowerCase())).to.equal(true);
    expect(dns.has(personDN(uid(PEOPLE)).toLowerCase())).to.equal(true);
    const requests = pageRequests(spy);
    expect(requests).to.have.length(PEOPLE / PAGE);
    expect(requests.every((r) => r.size === PAGE)).to.equal(true);
    expect(requests[0]!.cookie.length).to.equal(0);
    expect(requests.slice(1).every((r) => r.cookie.length > 0)).to.equal(true);
  });

  it('pages() shows the page boundaries, the cookies and the last page', async () => {
    const pages: SearchPage[] = await admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: 3_000, attributes: ['1.1'] }).pages();
    expect(pages.map((p) => p.entries.length)).to.deep.equal([3000, 3000, 3000, 3000, 3000, 3000, 2000]);
    expect(pages.map((p) => p.index)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(pages.map((p) => p.last)).to.deep.equal([false, false, false, false, false, false, true]);
    expect(pages.slice(0, -1).every((p) => p.cookie.length > 0)).to.equal(true);
    expect(pages.at(-1)!.cookie.length).to.equal(0);
    // slapd returns no estimate (slapd.conf(5): "the current implementation does not return any estimate").
    expect(pages.every((p) => p.sizeEstimate === 0)).to.equal(true);
  });

  it('stopping after 3 pages sends no further page request, releases the paged state, and the connection pages again', async () => {
    await admin.whoami(); // the connection exists: watch everything it receives
    const connection = spy.thisValues[0] as Connection;
    const received: LdapMessage[] = [];
    const watch = connection.incoming.subscribe((message) => received.push(message));
    const taken: SearchPage[] = [];
    for await (const page of admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: PAGE, attributes: ['uid'] }).pages()) {
      taken.push(page);
      if (taken.length === 3) break;
    }
    expect(taken.map((p) => p.entries.length)).to.deep.equal([PAGE, PAGE, PAGE]);
    const requests = pageRequests(spy);
    // three pages, then the RFC 2696 §3 release: size 0 with the third page's cookie
    expect(requests.map((r) => r.size)).to.deep.equal([PAGE, PAGE, PAGE, 0]);
    expect(requests[3]!.cookie.equals(taken[2]!.cookie)).to.equal(true);
    // the server confirms the release with an empty, successful searchResDone and no entries
    const releaseId = spy.returnValues.at(-1)!;
    await waitFor(() => received.some((m) => m.messageId === releaseId && m.protocolOp.type === 'searchResDone'));
    watch.unsubscribe();
    const answers = received.filter((m) => m.messageId === releaseId);
    expect(answers.map((m) => m.protocolOp.type)).to.deep.equal(['searchResDone']);
    const done = answers[0]!.protocolOp;
    expect(done.type === 'searchResDone' && done.resultCode).to.equal(0);
    const again = await admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: 5_000, attributes: ['1.1'] });
    expect(again).to.have.length(PEOPLE);
  });

  it('a consumer that stops while taking a page (take(1), firstValueFrom) still releases the paged state', async () => {
    const first = await firstValueFrom(admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: PAGE, attributes: ['1.1'] }).pages());
    expect(first.entries).to.have.length(PAGE);
    const requests = pageRequests(spy);
    expect(requests.map((r) => r.size)).to.deep.equal([PAGE, 0]);
    expect(requests[1]!.cookie.equals(first.cookie)).to.equal(true);
  });

  it('asks for the next page only when a for-await consumer has drained the previous one', async () => {
    const dns = new Set<string>();
    let ahead = 0;
    let index = 0;
    for await (const entry of admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: PAGE, attributes: ['uid'], sizeLimit: 0 })) {
      dns.add(entry.dn);
      const requested = pageRequests(spy).length;
      const pageOfEntry = Math.floor(index / PAGE) + 1;
      ahead = Math.max(ahead, requested - pageOfEntry);
      index++;
      if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve)); // a slow consumer
      if (index === 4.5 * PAGE) break; // mid-page
    }
    expect(dns.size).to.equal(4.5 * PAGE);
    expect(ahead, 'page requests sent ahead of the page being consumed').to.equal(0);
    // Breaking mid-page ends the server's paged state one of two ways, depending on whether the
    // page's searchResDone had arrived yet: Abandon of the running page, or the size-0 release.
    const sizes = pageRequests(spy).map((r) => r.size);
    const abandons = spy.getCalls().filter((call) => call.args[0].type === 'abandonRequest').length;
    expect(sizes.slice(0, 5)).to.deep.equal([PAGE, PAGE, PAGE, PAGE, PAGE]);
    expect(sizes.length - 5 + abandons, 'one release or one abandon, and no sixth page').to.equal(1);
    expect(sizes.slice(5).every((size) => size === 0)).to.equal(true);
  });

  it('an Observable subscriber gets the entries of each page before the next page is asked for', async () => {
    const seenBeforeRequest: number[] = [];
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: 5_000, attributes: ['1.1'] }).subscribe({
        next: () => {
          seen++;
          const requested = pageRequests(spy).length;
          if (seenBeforeRequest.length < requested - 1) seenBeforeRequest.push(seen - 1);
        },
        error: reject,
        complete: resolve,
      });
    });
    expect(seen).to.equal(PEOPLE);
    expect(seenBeforeRequest).to.deep.equal([5000, 10000, 15000]);
  });

  it('an AbortSignal between pages fails the search with AbandonedError and releases the paged state', async () => {
    const controller = new AbortController();
    const iterator = admin.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: PAGE, attributes: ['1.1'], signal: controller.signal }).pages()[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).to.equal(false);
    controller.abort();
    const outcome = await iterator.next().then(() => 'more', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(AbandonedError);
    expect(pageRequests(spy).map((r) => r.size)).to.deep.equal([PAGE, 0]);
  });

  describe('when the server refuses paging (size.prtotal=disabled for users)', () => {
    let user: Client;
    before(async () => {
      user = new Client({ url: slapd.url, timeout: 30_000 });
      await user.bind(personDN(uid(1)), personPassword(uid(1)));
    });
    after(() => user.unbind());

    it('a critical paged search fails with the typed LdapError', async () => {
      const outcome = await user.pagedSearch(PEOPLE_DN, { scope: 'one', pageSize: 100, critical: true, sizeLimit: 10 }).then(() => 'entries', (e: unknown) => e);
      expect(outcome).to.be.instanceOf(LdapError);
      expect((outcome as LdapError).code).to.be.a('number').and.not.equal(0);
    });

    it('a non-critical one is served unpaged, as one last page', async () => {
      const pages = await user.pagedSearch(personDN(uid(7)), { scope: 'base', pageSize: 100 }).pages();
      expect(pages).to.have.length(1);
      expect(pages[0]!.last).to.equal(true);
      expect(pages[0]!.entries.map((e) => e.get('uid'))).to.deep.equal([uid(7)]);
    });
  });

  it('rejects a page size that is not a positive integer before sending anything', () => {
    expect(() => admin.pagedSearch(PEOPLE_DN, { pageSize: 0 })).to.throw(RangeError);
    expect(() => admin.pagedSearch(PEOPLE_DN, { pageSize: 1.5 })).to.throw(RangeError);
    expect(pageRequests(spy)).to.have.length(0);
  });
});

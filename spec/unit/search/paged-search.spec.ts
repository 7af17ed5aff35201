import { expect } from 'chai';
import { concat, from, NEVER, Observable } from 'rxjs';
import { ProtocolError } from '../../../lib/errors';
import type { LdapMessage } from '../../../lib/protocol/types';
import type { SearchChannel } from '../../../lib/search/channel';
import { PagedSearch } from '../../../lib/search/paged-search';

/*
 * What a paged search does with responses no real server sends on demand, over a channel that
 * replays scripted messages. The behaviour against real servers is in
 * spec/integration/client/paged-search.spec.ts and paged-search-hostile.spec.ts.
 */

const ID = 9;
const BASE = 'ou=people,dc=example,dc=com';

const entry = (dn: string): LdapMessage => ({ messageId: ID, protocolOp: { type: 'searchResEntry', objectName: dn, attributes: [] } });
// No paged results response control: the server sent everything as one page, so this is the last.
const done: LdapMessage = { messageId: ID, protocolOp: { type: 'searchResDone', resultCode: 0, matchedDN: '', diagnosticMessage: '' } };
const modifyResponse: LdapMessage = { messageId: ID, protocolOp: { type: 'modifyResponse', resultCode: 0, matchedDN: '', diagnosticMessage: '' } };

/** A channel that answers every search with `messages` and then, unless `ends`, stays open. */
const scripted = (messages: LdapMessage[], ends: boolean): SearchChannel & { readonly abandoned: { count: number } } => {
  const abandoned = { count: 0 };
  const channel = {
    abandoned,
    session: () => channel,
    search: () =>
      new Observable<LdapMessage>((subscriber) => {
        let finished = false;
        const subscription = (ends ? from(messages) : concat(from(messages), NEVER)).subscribe({
          next: (message) => subscriber.next(message),
          complete: () => {
            finished = true;
            subscriber.complete();
          },
        });
        return () => {
          if (!finished) abandoned.count++;
          subscription.unsubscribe();
        };
      }),
    flow: { pause: () => undefined, resume: () => undefined },
  };
  return channel;
};

describe('search/paged-search (scripted)', () => {
  it('a response that has no place in a search is a ProtocolError, and the page is abandoned', () => {
    // The server keeps the page open after the stray response; the scripted messages arrive
    // during subscribe, so the outcome is known when it returns.
    const channel = scripted([entry(`cn=a,${BASE}`), modifyResponse], false);
    let failure: unknown;
    const subscription = new PagedSearch(channel, BASE).subscribe({ error: (error: unknown) => (failure = error) });
    subscription.unsubscribe();
    expect(failure).to.be.instanceOf(ProtocolError);
    expect((failure as ProtocolError).message).to.equal(`unexpected modifyResponse in a paged search (messageID ${ID})`);
    expect(channel.abandoned.count).to.equal(1);
  });

  it('the same through pages()', async () => {
    const channel = scripted([modifyResponse, done], true);
    const failure = await new PagedSearch(channel, BASE).pages().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(ProtocolError);
    expect((failure as ProtocolError).message).to.match(/unexpected modifyResponse in a paged search/);
  });

  it('references and intermediate responses are no violation: they are passed over', async () => {
    const reference: LdapMessage = { messageId: ID, protocolOp: { type: 'searchResRef', uris: ['ldap://other.example.com/'] } };
    const intermediate: LdapMessage = { messageId: ID, protocolOp: { type: 'intermediateResponse' } };
    const entries = await new PagedSearch(scripted([entry(`cn=a,${BASE}`), reference, intermediate, entry(`cn=b,${BASE}`), done], true), BASE);
    expect(entries.map((found) => found.dn)).to.deep.equal([`cn=a,${BASE}`, `cn=b,${BASE}`]);
  });
});

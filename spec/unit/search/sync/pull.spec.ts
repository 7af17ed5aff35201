import { expect } from 'chai';
import { Subject } from 'rxjs';
import { pull } from '../../../../lib/search/sync/pull';

describe('pull (sync/pull.ts) over a plain Observable', () => {
  it('streams its values, its error after them, and unsubscribes on return()', async () => {
    const subject = new Subject<number>();
    const iterator = pull(subject);
    subject.next(1);
    subject.next(2);
    subject.error(new RangeError('late'));
    expect((await iterator.next()).value).to.equal(1);
    expect((await iterator.next()).value).to.equal(2);
    const error = await iterator.next().then(() => undefined, (reason: unknown) => reason);
    expect(error).to.be.instanceOf(RangeError);

    const live = new Subject<number>();
    const liveIterator = pull(live);
    const waiting = liveIterator.next();
    expect(live.observed).to.equal(true);
    await liveIterator.return?.();
    expect(live.observed, 'return() unsubscribed').to.equal(false);
    expect(await waiting).to.deep.equal({ value: undefined, done: true });
  });
});

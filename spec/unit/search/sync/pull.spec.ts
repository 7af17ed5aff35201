import { expect } from 'chai';
import { Subject } from 'rxjs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

  it('lets go of a value once it has been read, while later ones still wait', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const subject = new Subject<{ name: string }>();
    const iterator = pull(subject);
    let read: WeakRef<{ name: string }> | undefined;
    await (async () => {
      subject.next({ name: 'first' });
      subject.next({ name: 'second' });
      const first = await iterator.next();
      read = new WeakRef(first.value as { name: string });
    })();
    // A WeakRef's target lives to the end of the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(read?.deref(), 'the queue still held the value it had handed out').to.equal(undefined);
    expect((await iterator.next()).value).to.deep.equal({ name: 'second' });
    await iterator.return?.();
  });
});


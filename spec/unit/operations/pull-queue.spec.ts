import { expect } from 'chai';
import { PullQueue } from '../../../lib/operations/pull-queue';

const settledState = async (promise: Promise<unknown>): Promise<'pending' | 'settled'> => {
  let state: 'pending' | 'settled' = 'pending';
  void promise.then(
    () => (state = 'settled'),
    () => (state = 'settled'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('PullQueue (between an Observable and an async iterator)', () => {
  it('hands a value to a waiting next() and buffers values nobody asked for yet, in order', async () => {
    const queue = new PullQueue<number>();
    const waiting = queue.next();
    expect(await settledState(waiting)).to.equal('pending');
    queue.push(1);
    expect(await waiting).to.deep.equal({ value: 1, done: false });
    queue.push(2);
    queue.push(3);
    expect(queue.held).to.equal(2);
    expect(await queue.next()).to.deep.equal({ value: 2, done: false });
    expect(await queue.next()).to.deep.equal({ value: 3, done: false });
    expect(queue.held).to.equal(0);
  });

  it('delivers what it holds before the error, then rejects, and takes nothing after', async () => {
    const queue = new PullQueue<string>();
    const failure = new Error('boom');
    queue.push('a');
    queue.fail(failure);
    queue.push('late');
    queue.end();
    expect(await queue.next()).to.deep.equal({ value: 'a', done: false });
    const error = await queue.next().then(() => undefined, (reason: unknown) => reason);
    expect(error).to.equal(failure);
    expect(queue.held).to.equal(0);
  });

  it('rejects a waiting next() on failure and resolves it as done on end', async () => {
    const failing = new PullQueue<number>();
    const rejected = failing.next().then(() => 'resolved', (reason: unknown) => reason);
    failing.fail('why');
    expect(await rejected).to.equal('why');
    const ending = new PullQueue<number>();
    const finished = ending.next();
    ending.end();
    expect(await finished).to.deep.equal({ value: undefined, done: true });
    expect(await ending.next()).to.deep.equal({ value: undefined, done: true });
  });

  it('return() drops the buffer, ends a waiting next() as done, and ends the queue', async () => {
    const queue = new PullQueue<number>();
    const waiting = queue.next();
    expect(await queue.return()).to.deep.equal({ value: undefined, done: true });
    expect(await waiting).to.deep.equal({ value: undefined, done: true });
    queue.push(1);
    expect(queue.held).to.equal(0);
    expect(await queue.next()).to.deep.equal({ value: undefined, done: true });
  });

  it('tells its owner what is left after each take, and when a next() finds nothing', async () => {
    const taken: number[] = [];
    let starved = 0;
    const queue = new PullQueue<number>({ taken: (held) => taken.push(held), starved: () => starved++ });
    for (let n = 0; n < 3; n++) queue.push(n);
    for (let n = 0; n < 3; n++) await queue.next();
    expect(taken).to.deep.equal([2, 1, 0]);
    expect(starved).to.equal(0);
    const waiting = queue.next();
    expect(starved).to.equal(1);
    queue.push(9);
    expect((await waiting).value).to.equal(9);
    expect(taken, 'a value handed straight to a waiting next() was never held').to.deep.equal([2, 1, 0]);
  });

  it('keeps its order across the compaction of a long buffer', async () => {
    const queue = new PullQueue<number>();
    for (let n = 0; n < 5000; n++) queue.push(n);
    const seen: number[] = [];
    for (let n = 0; n < 2500; n++) seen.push((await queue.next()).value as number);
    for (let n = 5000; n < 6000; n++) queue.push(n);
    for (;;) {
      if (queue.held === 0) break;
      seen.push((await queue.next()).value as number);
    }
    expect(seen).to.deep.equal(Array.from({ length: 6000 }, (_, n) => n));
  });
});

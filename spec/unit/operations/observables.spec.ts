import { expect } from 'chai';
import { Observable } from 'rxjs';
import { afterPromise, deferred, failing } from '../../../lib/operations/observables';

/** Collects what an Observable emits, until it ends. */
const outcome = <T>(source: Observable<T>): Promise<{ values: T[]; error?: unknown }> =>
  new Promise((resolve) => {
    const values: T[] = [];
    source.subscribe({ next: (value) => values.push(value), error: (error: unknown) => resolve({ values, error }), complete: () => resolve({ values }) });
  });

describe('The client\'s Observable helpers (in place of rxjs defer, throwError, from + switchMap)', () => {
  it('deferred runs its factory once per subscription, and a throw becomes the error', async () => {
    let calls = 0;
    const source = deferred(() => new Observable<number>((s) => (s.next(++calls), s.complete())));
    expect(calls, 'nothing runs before a subscription').to.equal(0);
    expect((await outcome(source)).values).to.deep.equal([1]);
    expect((await outcome(source)).values).to.deep.equal([2]);
    const boom = new Error('factory failed');
    expect((await outcome(deferred(() => { throw boom; }))).error).to.equal(boom);
  });

  it('failing errors each subscriber with a fresh error', async () => {
    let made = 0;
    const source = failing(() => new Error(`error ${++made}`));
    expect(((await outcome(source)).error as Error).message).to.equal('error 1');
    expect(((await outcome(source)).error as Error).message).to.equal('error 2');
  });

  it('afterPromise mirrors what follows the promise, and passes a rejection or a throw on as the error', async () => {
    expect(await outcome(afterPromise(() => Promise.resolve(3), (n) => new Observable<number>((s) => (s.next(n), s.next(n * 2), s.complete()))))).to.deep.equal({ values: [3, 6] });
    const refused = new Error('connect refused');
    expect((await outcome(afterPromise(() => Promise.reject(refused), () => new Observable<number>()))).error).to.equal(refused);
    const thrown = new Error('bad request');
    expect((await outcome(afterPromise(() => Promise.resolve(1), () => { throw thrown; }))).error).to.equal(thrown);
  });

  it('afterPromise never starts what follows when unsubscribed before the promise settles, and tears it down after', async () => {
    let resolveConnection!: (value: string) => void;
    let started = 0;
    let tornDown = 0;
    const follow = (): Observable<string> => new Observable<string>(() => (started++, () => tornDown++));
    const early = afterPromise(() => new Promise<string>((resolve) => (resolveConnection = resolve)), follow).subscribe();
    early.unsubscribe();
    resolveConnection('connection');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.equal(0);
    const late = afterPromise(() => Promise.resolve('connection'), follow).subscribe();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.equal(1);
    late.unsubscribe();
    expect(tornDown).to.equal(1);
  });
});

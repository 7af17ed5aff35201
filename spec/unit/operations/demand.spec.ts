import { expect } from 'chai';
import { Operation, settleAll } from '../../../lib/operations/operation';
import type { Demand } from '../../../lib/operations/operation';

/** An operation whose producer records the Demand it was given and emits on request. */
const recording = (): { operation: Operation<number, number[]>; demands: Array<Demand | undefined>; emit: (n: number) => void } => {
  const demands: Array<Demand | undefined> = [];
  let emit: (n: number) => void = () => undefined;
  const operation = new Operation<number, number[]>(
    (subscriber, demand) => {
      demands.push(demand);
      emit = (n) => subscriber.next(n);
    },
    { settle: settleAll },
  );
  return { operation, demands, emit: (n) => emit(n) };
};

describe('Operation demand (how an async iterator paces a producer)', () => {
  it('gives a Demand to an iterator subscription and none to a plain subscriber', () => {
    const { operation, demands } = recording();
    operation.subscribe().unsubscribe();
    const iterator = operation[Symbol.asyncIterator]();
    void iterator.return?.();
    expect(demands[0]).to.equal(undefined);
    expect(demands[1]).to.not.equal(undefined);
  });

  it('drained() resolves only once the consumer asks for more than it holds', async () => {
    const { operation, demands, emit } = recording();
    const iterator = operation[Symbol.asyncIterator]();
    const demand = demands[0]!;
    emit(1);
    emit(2);
    let drained = false;
    void demand.drained().then(() => (drained = true));
    expect((await iterator.next()).value).to.equal(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained, 'one value still unread').to.equal(false);
    expect((await iterator.next()).value).to.equal(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained, 'the last value taken but no next() yet').to.equal(false);
    const pending = iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).to.equal(true);
    emit(3);
    expect((await pending).value).to.equal(3);
    // nothing held now: drained() resolves at once
    await demand.drained();
    await iterator.return?.();
  });

  it('a consumer that breaks out never wakes the producer', async () => {
    const { operation, demands, emit } = recording();
    const iterator = operation[Symbol.asyncIterator]();
    emit(1);
    let woke = false;
    void demands[0]!.drained().then(() => (woke = true));
    await iterator.return?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).to.equal(false);
  });
});

/**
 * A short, fixed-seed slice of `npm run fuzz` (bench/fuzz): every registered target, a few
 * thousand generated and mutated inputs each, must give only results or its typed parse error.
 * A failure prints the finding; `npm run fuzz -- --target T --seed S --iteration I` replays it.
 */
import { expect } from 'chai';
import { ProtocolError } from '../../../lib/errors';
import { fuzzTarget } from '../../../bench/fuzz/engine';
import type { Finding } from '../../../bench/fuzz/engine';
import { Rng, hashName, inputSeed } from '../../../bench/fuzz/prng';
import { TARGETS } from '../../../bench/fuzz/registry';
import { RoundTripError } from '../../../bench/fuzz/target';
import type { FuzzTarget } from '../../../bench/fuzz/target';

const SEED = 4511;
const INPUTS_PER_TARGET = 3000;

const show = (findings: readonly Finding[]): string =>
  findings.map((f) => `${f.kind} at iteration ${f.iteration}: ${f.error}\n  input: ${f.input.slice(0, 300)}`).join('\n');

describe('fuzzing (a fixed-seed slice of npm run fuzz)', () => {
  for (const [name, create] of Object.entries(TARGETS)) {
    it(`${name}: ${INPUTS_PER_TARGET} inputs give a result or the typed parse error, and what parses reads back`, async () => {
      const findings: Finding[] = [];
      const tally = await fuzzTarget(create({}), { seed: SEED, count: INPUTS_PER_TARGET, onFinding: (f) => findings.push(f) });
      expect(findings.length, show(findings)).to.equal(0);
      expect(tally.inputs).to.equal(INPUTS_PER_TARGET);
      // Both paths must be exercised: a generator that only makes garbage (or only seeds) tests little.
      expect(tally.accepted, 'inputs accepted').to.be.greaterThan(INPUTS_PER_TARGET / 50);
      expect(tally.refused, 'inputs refused').to.be.greaterThan(INPUTS_PER_TARGET / 2);
    });
  }

  describe('the oracle', () => {
    /** A target whose run() does what the input says, to check how each outcome is classed. */
    const scripted = (outcomes: ReadonlyArray<() => void>): FuzzTarget<number> => ({
      name: 'scripted',
      about: 'test double',
      refusals: [ProtocolError],
      generate: (rng: Rng) => rng.below(outcomes.length),
      run: (input: number) => outcomes[input]!(),
      show: (input: number) => String(input),
    });

    it('counts results and typed errors, and reports everything else with seed, iteration and input', async () => {
      const target = scripted([
        () => undefined,
        () => {
          throw new ProtocolError('refused');
        },
        () => {
          throw new TypeError('a crash');
        },
        () => {
          throw new ProtocolError('cannot decode PDU', 0, { cause: new RangeError('stack') });
        },
        () => {
          throw new RoundTripError('read back differently');
        },
      ]);
      const findings: Finding[] = [];
      const tally = await fuzzTarget(target, { seed: 7, count: 200, maxFindings: Infinity, onFinding: (f) => findings.push(f) });
      expect(tally.accepted + tally.refused + tally.findings).to.equal(200);
      expect(tally.accepted).to.be.greaterThan(0);
      expect(tally.refused).to.be.greaterThan(0);
      const kinds = new Set(findings.map((f) => `${f.kind}: ${f.error}`));
      expect([...kinds].sort()).to.deep.equal([
        'crash: ProtocolError: cannot decode PDU (at offset 0); cause: RangeError: stack',
        'crash: TypeError: a crash',
        'round-trip: RoundTripError: read back differently',
      ]);
      const crash = findings.find((f) => f.error.startsWith('TypeError'))!;
      expect(crash).to.include({ target: 'scripted', seed: 7, input: '2' });
      expect(crash.stack, 'the stack is captured on a replay of the input').to.match(/a crash\n\s+at /);
    });

    it('stops a target after maxFindings', async () => {
      const tally = await fuzzTarget(scripted([() => { throw new TypeError('always'); }]), { seed: 1, count: 100, maxFindings: 3 });
      expect(tally).to.include({ inputs: 3, findings: 3 });
    });
  });

  it('makes the same inputs from the same seed and iteration, and others from another seed', () => {
    for (const [name, create] of Object.entries(TARGETS)) {
      const target = create({});
      const make = (seed: number, iteration: number): string => target.show(target.generate(new Rng(inputSeed(seed, hashName(name), iteration))));
      const first = Array.from({ length: 20 }, (_, i) => make(SEED, i));
      expect(Array.from({ length: 20 }, (_, i) => make(SEED, i)), name).to.deep.equal(first);
      expect(Array.from({ length: 20 }, (_, i) => make(SEED + 1, i)), name).to.not.deep.equal(first);
    }
  });
});

import { expect } from 'chai';
import { ResumePolicy } from '../../../lib/search/resume-policy';

describe('ResumePolicy', () => {
  it('resumes at once, then backs off, and gives up after 10 resumes within a minute, whatever came in between', () => {
    let now = 0;
    const policy = new ResumePolicy(() => now);
    const delays: Array<number | undefined> = [];
    for (let i = 0; i < 11; i++) {
      delays.push(policy.next());
      now += 1_000;
    }
    expect(delays).to.deep.equal([0, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, undefined]);
  });

  it('counts again after a quiet minute', () => {
    let now = 0;
    const policy = new ResumePolicy(() => now);
    for (let i = 0; i < 5; i++) policy.next();
    now += 61_000;
    expect(policy.next()).to.equal(0);
  });
});

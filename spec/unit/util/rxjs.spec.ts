import { expect } from 'chai';
import * as rxjs from 'rxjs';
// Loading this module is itself the first check: it throws MODULE_NOT_FOUND if rxjs moves a deep path.
import * as deep from '../../../lib/util/rxjs';

describe("util/rxjs (the deep paths rxjs does not promise to keep)", () => {
  it("re-exports, under each name, the very class rxjs's index exports", () => {
    const names = Object.keys(deep);
    expect(names).to.include.members(['Observable', 'Subject']);
    for (const name of names) {
      expect(deep[name as keyof typeof deep], name).to.equal(rxjs[name as keyof typeof rxjs]);
    }
  });

  it('makes Observables that rxjs operators and a user\'s instanceof accept', async () => {
    const subject = new deep.Subject<number>();
    const doubled = rxjs.firstValueFrom(subject.pipe(rxjs.map((n) => n * 2)));
    subject.next(21);
    expect(await doubled).to.equal(42);
    expect(new deep.Observable<number>()).to.be.instanceOf(rxjs.Observable);
  });
});

import { expect } from 'chai';
import { exchangeOptionsOf, ownTimeoutOnly, withDefaultTimeout } from '../../../lib/operations/exchange-options';

describe('exchange options (an operation\'s options as exchange() reads them)', () => {
  it('keeps the ExchangeOptions fields that were given, and only those', () => {
    const signal = new AbortController().signal;
    const picked = exchangeOptionsOf({ timeout: 5, signal, deadline: undefined, controls: [], ...{ scope: 'sub', filter: '(x=1)' } });
    expect(picked).to.deep.equal({ timeout: 5, signal, controls: [] });
    expect(Object.keys(exchangeOptionsOf({ retry: undefined, stopWith: undefined }))).to.deep.equal([]);
    expect(exchangeOptionsOf({ retry: true, stopWith: 'cancel', deadline: 9 })).to.deep.equal({ retry: true, stopWith: 'cancel', deadline: 9 });
  });

  it("lends the client's default timeout only to an operation that gave none; 0 keeps it out", () => {
    expect(withDefaultTimeout({}, 1000)).to.deep.equal({ timeout: 1000 });
    expect(withDefaultTimeout({ timeout: 50 }, 1000)).to.deep.equal({ timeout: 50 });
    expect(withDefaultTimeout({ timeout: 0 }, 1000)).to.deep.equal({ timeout: 0 });
    const options = { controls: [] };
    expect(withDefaultTimeout(options, undefined), 'no default: the same object').to.equal(options);
  });

  it('gives a feed its own timeout or none, never the default', () => {
    expect(withDefaultTimeout({ timeout: ownTimeoutOnly(undefined) }, 1000)).to.deep.equal({ timeout: 0 });
    expect(withDefaultTimeout({ timeout: ownTimeoutOnly(250) }, 1000)).to.deep.equal({ timeout: 250 });
  });
});

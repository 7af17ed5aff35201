import { errorFromResult } from '../protocol/error-from-result';

import { Operation, settleAll } from '../operations/operation';
import { outcomeOf } from '../operations/outcome';
import { UNDECODED_ENTRIES } from '../operations/exchange';
import type { ExchangeOptions, ExchangeOptionsWithUndecoded } from '../operations/exchange';
import { UndecodedEntry } from '../protocol/undecoded-entry';
import { ProtocolError, ResultCode } from '../errors';
import type { SearchChannel } from './channel';
import { SearchEntry, SearchReference } from './entry';
import { buildSearchRequest, iteratorOptions } from './search-request';
import type { SearchOptions } from './search-request';

/** What a plain search emits: entries, and continuation references when asked for. */
export type SearchItem = SearchEntry | SearchReference;

/**
 * A plain search as an Operation: entries stream as they arrive (with backpressure when
 * iterated), awaiting gives them all, `result()` adds the searchResDone's outcome and controls.
 * References are emitted only with `references: true`. A request the options cannot build fails
 * the Operation, as a server refusal would, instead of throwing.
 */
export const search = (channel: SearchChannel, base: string, options: SearchOptions & { references?: boolean }, exchangeOptions: ExchangeOptions): Operation<SearchItem, SearchItem[]> => {
  const withReferences = options.references === true;
  return new Operation<SearchItem, SearchItem[]>(
    (subscriber, demand, reportOutcome) => {
      let request;
      try {
        request = buildSearchRequest(base, options);
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      const undecoded = demand?.undecodedEntries === true;
      const sent: ExchangeOptionsWithUndecoded = undecoded ? { ...exchangeOptions, [UNDECODED_ENTRIES]: true } : exchangeOptions;
      return channel.search(request, sent).subscribe({
        next: (message) => {
          const op = message.protocolOp;
          if (op.type === 'searchResEntry') {
            // Only the consumer that asked (ldifStream) gets these: it reads them as bytes.
            if (undecoded && op instanceof UndecodedEntry) subscriber.next(op as unknown as SearchItem);
            else subscriber.next(SearchEntry.fromMessage(message, op, channel.typing?.()));
          } else if (op.type === 'searchResRef') {
            if (withReferences) subscriber.next(new SearchReference(op.uris, message.controls ?? [], message.messageId));
          } else if (op.type === 'searchResDone') {
            try {
              options.onDone?.(op, message.controls ?? []);
            } catch (error) {
              subscriber.error(error); // a throwing callback fails the search, not the process
              return;
            }
            const outcome = outcomeOf(message);
            if (outcome !== undefined) reportOutcome(outcome);
            if (op.resultCode !== ResultCode.success) {
              const error = searchError(op, message.messageId, message.controls);
              subscriber.error(channel.explainError?.(error, exchangeOptions.controls) ?? error);
            }
          } else if (op.type !== 'intermediateResponse') {
            subscriber.error(new ProtocolError(`unexpected ${op.type} in the responses to search ${message.messageId}`));
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    },
    { settle: settleAll, flow: channel.flow, ...iteratorOptions(options) },
  );
};

/** The typed error of a failed search; a size limit says how to get everything. */
const searchError = (...args: Parameters<typeof errorFromResult>): Error => {
  const error = errorFromResult(...args);
  if (error.code === ResultCode.sizeLimitExceeded) {
    error.message += ' (the server returns at most its size limit per search: use pagedSearch() to read every entry, or narrow the filter)';
  }
  return error;
};

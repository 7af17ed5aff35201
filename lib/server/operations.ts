import type { LdapResult, ProtocolOp, RequestOp } from './deps';
import type { OperationContext } from './context';
import { bind } from './ops/bind';
import { extended } from './ops/extended';
import { search } from './ops/search';
import { add, compare, del, modify, modifyDN } from './ops/update';
import { resultOf } from './result';
import type { Session } from './session';

/** The response an operation ends with, carrying `result` (for an error, or a fault's chosen code). */
export const errorResponse = (request: RequestOp, result: LdapResult): ProtocolOp => {
  switch (request.type) {
    case 'bindRequest':
      return { type: 'bindResponse', ...result };
    case 'searchRequest':
      return { type: 'searchResDone', ...result };
    case 'modifyRequest':
      return { type: 'modifyResponse', ...result };
    case 'addRequest':
      return { type: 'addResponse', ...result };
    case 'delRequest':
      return { type: 'delResponse', ...result };
    case 'modDNRequest':
      return { type: 'modDNResponse', ...result };
    case 'compareRequest':
      return { type: 'compareResponse', ...result };
    default:
      return { type: 'extendedResp', ...result };
  }
};

/**
 * Runs one request. Synchronous operations answer before this returns; searches may go on
 * (streaming with backpressure, paging, syncrepl and persistent search) and answer later. An
 * LdapError thrown by an operation is its answer.
 */
export const dispatch = (context: OperationContext, request: RequestOp, session: Session): void => {
  const fail = (error: unknown): void => {
    context.reply.send(errorResponse(request, resultOf(error)));
    context.finish();
  };
  try {
    switch (request.type) {
      case 'bindRequest':
        bind(context, request, session);
        break;
      case 'searchRequest':
        search(context, request).catch(fail);
        return;
      case 'addRequest':
        add(context, request);
        break;
      case 'modifyRequest':
        modify(context, request);
        break;
      case 'delRequest':
        del(context, request);
        break;
      case 'modDNRequest':
        modifyDN(context, request);
        break;
      case 'compareRequest':
        compare(context, request);
        break;
      case 'extendedReq':
        extended(context, request, session);
        return;
      default:
        return;
    }
    context.finish();
  } catch (error) {
    fail(error);
  }
};

export { BerReader, DEFAULT_MAX_DEPTH, MAX_INT32, MIN_INT32 } from './reader';
export type { BerReaderOptions } from './reader';
export { BerWriter } from './writer';
export { Tag, CONSTRUCTED, APPLICATION, CONTEXT, appPrimitive, appConstructed, ctxPrimitive, ctxConstructed, formatTag } from './tags';

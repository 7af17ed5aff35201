export * from './types';
export * from './filter-types';
export { encodeMessage, writeMessage } from './encode';
export { decodeMessage, readMessage } from './decode';
export { encodeFilter, decodeFilter, writeFilter, readFilter } from './filter-codec';
export { OpTag } from './op-tags';

export { MessageFramer } from './message-framer';
export type { MessageFramerOptions } from './message-framer';
export { MessageParser, DEFAULT_MAX_PDU_SIZE } from './message-parser';
export type { MessageParserOptions } from './message-parser';

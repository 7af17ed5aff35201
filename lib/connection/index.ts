export { Connection, NoticeOfDisconnectionError } from './connection';
export type { ConnectionOptions, ResponseHandler } from './connection';
export { MessageIdAllocator } from './message-ids';

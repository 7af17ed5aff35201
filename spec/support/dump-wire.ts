/** Prints the LDAPMessages in a captured byte stream: node dist/spec/support/dump-wire.js FILE... */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { MessageParser } from '../../lib/transport/message-parser';

for (const file of process.argv.slice(2)) {
  process.stdout.write(`== ${file}\n`);
  const parser = new MessageParser();
  try {
    parser.feed(readFileSync(file), (message) => {
      process.stdout.write(`${inspect(message, { depth: 6, breakLength: 160 })}\n`);
    });
    parser.end();
  } catch (error) {
    process.stdout.write(`ERROR ${String(error)}\n`);
  }
}

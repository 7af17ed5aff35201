/**
 * Where the bind password comes from: a file (-y), the terminal (-W: read from /dev/tty with
 * echo off, so stdin stays free for LDIF), or, discouraged, the argument list (-w).
 */
import { openSync, readFileSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { ConnectionSettings } from './options';
import { UsageError } from './usage';

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/** A file's content without one trailing newline (what `echo secret > file` leaves). */
const readPasswordFile = (path: string, command: string): string => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the password file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, command);
  }
  return text.replace(/\r?\n$/, '');
};

/** Asks on the terminal, echo off; Ctrl-C or Ctrl-D refuses. */
export const promptPassword = (prompt: string, command: string): Promise<string> => {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new UsageError('-W needs a terminal to ask on; use -y FILE or RXLDAP_PASSWORD_FILE', command);
  }
  writeSync(fd, prompt);
  const input = new ReadStream(fd);
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void): void => {
      input.off('data', onData);
      input.setRawMode(false);
      writeSync(fd, '\n');
      input.destroy(); // closes fd
      outcome();
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return finish(() => resolve(typed));
        if (c === CTRL_C || c === CTRL_D) return finish(() => reject(new UsageError('no password given', command)));
        if (BACKSPACE.has(c)) typed = typed.slice(0, -1);
        else typed += c;
      }
    };
    input.on('data', onData);
  });
};

/** The password the settings name, read now. */
export const resolvePassword = async (settings: ConnectionSettings, command: string): Promise<string | undefined> => {
  const source = settings.password;
  if (source === undefined) return undefined;
  if (source.from === 'argument') return source.value;
  if (source.from === 'file') return readPasswordFile(source.path, command);
  return promptPassword('Enter LDAP Password: ', command);
};

/**
 * Making a 389-ds instance in an empty dir with dscreate, offline: the private defaults.inf and
 * template (layout.ts), then `dscreate from-file`, which takes from ~10 s to ~40 s depending on
 * the machine (it starts and stops the server once itself). Its output goes to a log file in
 * the dir; a failure carries the log's tail.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireSuccess, runTool } from '../slapd/tools';
import { DS_PATHS, RUN_USER, SKELETON, instanceInf, loopbackTemplateDse, privateDefaultsInf } from './layout';
import type { Ds389Layout, InstanceInfParams } from './layout';

/** The last `lines` lines of a file, or a note that it could not be read. */
export const tailOf = async (path: string, lines = 30): Promise<string> => {
  const text = await readFile(path, 'utf8').catch((error: Error) => `(cannot read ${path}: ${error.message})`);
  return text.trimEnd().split('\n').slice(-lines).join('\n');
};

/** The share dir lib389 reads through PREFIX: our defaults.inf and template, links to the rest. */
const privateShareDir = async (layout: Ds389Layout): Promise<void> => {
  const system = DS_PATHS.shareDir;
  const own = join(layout.shareDir, 'dirsrv');
  const [defaults, template, topEntries, dataEntries] = await Promise.all([
    readFile(join(system, 'inf', 'defaults.inf'), 'utf8'),
    readFile(join(system, 'data', 'template-dse.ldif'), 'utf8'),
    readdir(system),
    readdir(join(system, 'data')),
  ]);
  await Promise.all([
    writeFile(join(own, 'inf', 'defaults.inf'), privateDefaultsInf(defaults, layout.dir)),
    writeFile(join(own, 'data', 'template-dse.ldif'), loopbackTemplateDse(template)),
    ...topEntries.filter((name) => name !== 'inf' && name !== 'data').map((name) => symlink(join(system, name), join(own, name))),
    ...dataEntries.filter((name) => name !== 'template-dse.ldif').map((name) => symlink(join(system, 'data', name), join(own, 'data', name))),
  ]);
};

/** Runs dscreate in its own process group (so a timeout ends it and whatever it started), output to the log. */
const runDscreate = (layout: Ds389Layout, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }> =>
  new Promise((resolve, reject) => {
    const log = openSync(layout.dscreateLog, 'w');
    const env: NodeJS.ProcessEnv = { ...process.env, PREFIX: layout.dir };
    delete env['DEBUGGING'];
    const child = spawn(DS_PATHS.dscreate, ['-v', 'from-file', layout.infPath], { detached: true, stdio: ['ignore', log, log], env, cwd: layout.dir });
    closeSync(log); // the child has its own copy
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${DS_PATHS.dscreate}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut });
    });
  });

/** Creates the instance in `layout.dir` (which must exist and be empty but for what layout.ts names). */
export const createInstance = async (layout: Ds389Layout, params: InstanceInfParams, timeoutMs: number): Promise<void> => {
  await Promise.all(SKELETON.map((path) => mkdir(join(layout.dir, path), { recursive: true })));
  // dscreate copies its schema and config templates from sysconf_dir/dirsrv: give it its own copy.
  await cp(DS_PATHS.sysconfDir, join(layout.dir, 'etc', 'dirsrv'), { recursive: true, preserveTimestamps: true });
  await privateShareDir(layout);
  await writeFile(layout.infPath, instanceInf(params));
  // ns-slapd runs as dirsrv and writes below the dir; our tmpdir parent must let it through.
  requireSuccess(await runTool('chown', ['-R', `${RUN_USER}:${RUN_USER}`, layout.dir]));
  requireSuccess(await runTool('chmod', ['755', layout.dir]));
  const started = Date.now();
  const run = await runDscreate(layout, timeoutMs);
  if (run.code === 0) return;
  const how = run.timedOut ? `did not finish in ${timeoutMs} ms` : `exited with ${run.signal ?? run.code} after ${Date.now() - started} ms`;
  throw new Error(`dscreate ${how} in ${layout.dir}; the tail of its log:\n${await tailOf(layout.dscreateLog)}`);
};

/**
 * One rolled-up declaration file per entry point, by API Extractor, and the API reports in etc/.
 * By default the reports are checked: when the public API differs from etc/*.api.md the build
 * fails, so a change to the API is a visible diff in review. `--local` (npm run api:update)
 * writes the new report instead, for a change that is meant.
 *
 * API Extractor writes dist/<entry>.d.ts, read by TypeScript as CommonJS declarations (beside
 * the .cjs); the same text as dist/<entry>.d.mts declares the ES module `import` gets.
 */
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const localBuild = process.argv.includes('--local');
const entries = [
  { config: 'api-extractor.json', declarations: 'rxldap' },
  { config: 'api-extractor.wire.json', declarations: 'wire' },
  { config: 'api-extractor.schemas.json', declarations: 'schemas' },
  { config: 'api-extractor.sqlite-store.json', declarations: 'sqlite-store' },
];

let failed = false;
for (const { config, declarations } of entries) {
  const result = Extractor.invoke(ExtractorConfig.loadFileAndPrepare(join(root, config)), { localBuild, showVerboseMessages: false });
  if (!result.succeeded) {
    failed = true;
    const why = result.apiReportChanged ? 'the public API differs from the report in etc/' : `${result.errorCount} errors, ${result.warningCount} warnings`;
    console.error(`${config}: ${why}.${result.apiReportChanged ? ' If the change is meant, run `npm run api:update` and commit etc/.' : ''}`);
    continue;
  }
  await copyFile(join(root, 'dist', `${declarations}.d.ts`), join(root, 'dist', `${declarations}.d.mts`));
}
if (failed) process.exit(1);

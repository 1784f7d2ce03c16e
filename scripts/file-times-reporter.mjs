// A Vitest reporter for `npm test` (scripts/run-tests.mjs): writes the time each test file took, in ms,
// to the JSON file named by FILE_TIMES_OUTPUT, as `{ "<absolute path>": ms }`. Vitest's JSON report
// gives only the tests' own durations; a file's beforeAll (a synthesis) and its imports are where the
// time goes, so this adds environment setup, preparation, import (collect), setup files, and every test
// and hook of the file (Vitest's TestModule.diagnostic()).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export default class FileTimesReporter {
  /** @param {readonly { moduleId: string, diagnostic(): Record<string, number> }[]} testModules */
  onTestRunEnd(testModules) {
    const file = process.env.FILE_TIMES_OUTPUT;
    if (file === undefined || file === '') return;
    /** @type {Record<string, number>} */
    const times = {};
    for (const module of testModules) {
      const d = module.diagnostic();
      times[module.moduleId] =
        d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(times));
  }
}

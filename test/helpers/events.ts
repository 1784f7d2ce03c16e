import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toEnvelope } from '../../scripts/envelope';

/** Project root (this file is test/helpers/events.ts). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** The shared corpus of real, public CloudTrail events; present on CI, maybe absent elsewhere. */
export const CORPUS_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'events');

/** The project's own events, modelled on the corpus shapes. */
export const PROJECT_FIXTURES_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'events');

type Json = Record<string, unknown>;

export { toEnvelope };

/** One fixture file, wrapped as the checker receives it. */
export interface FixtureEvent {
  readonly file: string;
  readonly envelope: Json;
}

function loadDir(dir: string): FixtureEvent[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, envelope: toEnvelope(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
}

/** True when ../shared/fixtures/events exists next to the project. */
export function corpusAvailable(): boolean {
  return existsSync(CORPUS_DIR);
}

/** Every file of the shared corpus, wrapped; empty when the folder is absent. */
export function loadCorpus(): FixtureEvent[] {
  return corpusAvailable() ? loadDir(CORPUS_DIR) : [];
}

/** Every project fixture, wrapped. */
export function loadProjectFixtures(): FixtureEvent[] {
  return loadDir(PROJECT_FIXTURES_DIR);
}

/** One project fixture by file name. */
export function projectFixture(file: string): Json {
  return toEnvelope(JSON.parse(readFileSync(join(PROJECT_FIXTURES_DIR, file), 'utf8')));
}

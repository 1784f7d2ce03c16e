import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Project root (this file is test/helpers/events.ts). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** The shared corpus of real, public CloudTrail events; present on CI, maybe absent elsewhere. */
export const CORPUS_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'events');

/** The project's own events, modelled on the corpus shapes. */
export const PROJECT_FIXTURES_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'events');

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Wrap a raw CloudTrail record in the EventBridge envelope the checker receives: `account` is the
 * record's recipientAccountId (or userIdentity.accountId), region us-east-1. An object that already
 * is an envelope is returned as it is; an S3 log file `{"Records": [r]}` is unwrapped first.
 */
export function toEnvelope(input: unknown): Json {
  if (isObject(input) && Array.isArray(input.Records)) return toEnvelope(input.Records[0]);
  if (!isObject(input)) throw new Error('fixture is not a JSON object');
  if ('detail-type' in input && 'detail' in input) return input;
  const identity = isObject(input.userIdentity) ? input.userIdentity : {};
  const eventId = typeof input.eventID === 'string' ? input.eventID : 'fixture-event';
  return {
    version: '0',
    id: `envelope-${eventId}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: input.recipientAccountId ?? identity.accountId,
    time: input.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: input,
  };
}

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

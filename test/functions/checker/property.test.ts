import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../functions/checker/errors';
import { parseEvent } from '../../../functions/checker/parse-event';
import { TEST_CONTEXT } from '../../helpers/checker-harness';
import { loadProjectFixtures } from '../../helpers/events';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

const NOW = new Date('2026-10-05T10:00:00Z');
const valid = loadProjectFixtures()
  .filter((f) => !f.file.startsWith('malformed-'))
  .map((f) => f.envelope);

type Json = Record<string, unknown>;

/** Paths into an event: every key of the envelope, its detail and the nested objects the checker reads. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

function mutate(event: Json, path: string[], replacement: unknown, drop: boolean): Json {
  const copy = structuredClone(event);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Json;
  }
  const last = path[path.length - 1] ?? '';
  if (drop) Reflect.deleteProperty(node, last);
  else node[last] = replacement;
  return copy;
}

const weirdValue = fc.oneof(
  fc.constant(''),
  fc.constant('   '),
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  fc.constantFrom(
    '012345678901',
    '0123456789012',
    'aws.iam',
    'CreateUser',
    'AWS ROOT USER',
    '2026-02-30T25:61:00Z',
  ),
);

/** A valid event with one field replaced by a strange value or removed. */
const mutatedEvent = fc
  .constantFrom(...valid)
  .chain((event) =>
    fc
      .tuple(fc.constant(event), fc.constantFrom(...pathsOf(event)), weirdValue, fc.boolean())
      .map(([e, path, value, drop]) => mutate(e, path, value, drop)),
  );

const anyInput = fc.oneof(
  fc.anything(),
  fc.json().map((text) => JSON.parse(text) as unknown),
  mutatedEvent,
);

beforeEach(() => {
  resetMocks(NOW);
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'q' });
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
});

describe('malformed input (property-based)', () => {
  it('parseEvent either accepts or throws InvalidEventError, never anything else (2,000 inputs)', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          parseEvent(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidEventError);
          expect((error as InvalidEventError).field.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000, seed: 20261128 },
    );
  });

  it('the checker never publishes anything for input that fails parsing (1,000 inputs)', async () => {
    const check = testChecker(undefined, NOW);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), mutatedEvent), async (input) => {
        let parses = true;
        try {
          parseEvent(input);
        } catch {
          parses = false;
        }
        fc.pre(!parses);
        mocks.sns.resetHistory();
        mocks.sqs.resetHistory();
        const result = await check(input, TEST_CONTEXT);
        expect(result.outcome).toBe('quarantined');
        expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(0);
        expect(mocks.sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
      }),
      { numRuns: 1000, seed: 20261128 },
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WATCHED_EVENT_NAMES } from '../../functions/shared/contract';
import { architectureDot } from '../../scripts/diagram/architecture-dot';
import { MEMBER_REGION, NAMES, STACK_IDS } from '../../stacks/names';

describe('architecture diagram', () => {
  const dot = architectureDot();

  it('matches the committed docs/architecture.dot (run `npm run docs:diagram` after a rename)', () => {
    expect(readFileSync('docs/architecture.dot', 'utf8')).toBe(dot);
  });

  it.each(Object.entries(NAMES))('names %s (%s)', (_key, name) => {
    expect(dot).toContain(name);
  });

  it.each(Object.values(STACK_IDS))('names stack %s', (id) => {
    expect(dot).toContain(id);
  });

  it('names the member region and every watched event', () => {
    expect(MEMBER_REGION).toBe('us-east-1');
    expect(dot).toContain('us-east-1');
    for (const name of WATCHED_EVENT_NAMES) expect(dot).toContain(name);
  });

  it('draws the numbered flow 1 to 6 and the email', () => {
    for (const step of [
      '1 CreateUser',
      '2 forward',
      '3 central bus',
      '4 invoke checker',
      '5 sts:AssumeRole',
      '6 publish',
    ]) {
      expect(dot).toContain(step);
    }
    expect(dot).toContain('topic -> inbox [label="email"');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WATCHED_EVENT_NAMES } from '../../functions/contract/contract';
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

describe('the committed picture is readable at README width (issue 19, item 11)', () => {
  // Reads the committed SVG: Graphviz is an optional prerequisite, so this test never runs `dot`.
  const svg = readFileSync('docs/architecture.svg', 'utf8');
  const size = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg);

  it('is at most about 1000 points wide (GitHub shows README images about that wide)', () => {
    expect(size).not.toBeNull();
    expect(Number(size?.[1])).toBeLessThanOrEqual(1050);
  });

  it('was rendered from the committed docs/architecture.dot (every node of the source is in the picture)', () => {
    const ids = [...architectureDot().matchAll(/^ {4}(\w+) \[label=/gm)].map((m) => m[1] ?? '');
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(svg).toContain(`<title>${id}</title>`);
  });
});

describe('docs/configuration.md lists every tool (issue 19, item 11)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const doc = readFileSync('docs/configuration.md', 'utf8');
  const section = /## Tools \(npm scripts\)[\s\S]*?(?=\n## |$)/.exec(doc)?.[0] ?? '';

  it.each(Object.keys(pkg.scripts))('lists `npm run %s` on a line of its own', (script) => {
    const command = script === 'test' ? 'npm test' : `npm run ${script}`;
    const lines = section.split('\n').filter((line) => new RegExp(`^\\| \`${command}[\` ]`).test(line));
    expect(lines).toHaveLength(1);
  });

  it('lists nothing that is not a script', () => {
    const listed = [...section.matchAll(/^\| `npm (?:run )?([\w:-]+)[` ]/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(pkg.scripts).sort());
  });
});

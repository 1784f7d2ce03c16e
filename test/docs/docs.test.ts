import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV } from '../../scripts/cli';
import { PROJECT_ROOT } from '../helpers/events';

// Docs checks (issue 10, items 4, 8, 9, 11): the documentation names only commands, files and
// instructions that exist, and every command that reads the configuration passes it.

const tracked = execFileSync('git', ['ls-files'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '' && existsSync(join(PROJECT_ROOT, f)));
const markdown = tracked.filter((f) => f.endsWith('.md'));
const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const scripts = Object.keys(
  (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
);

/** Inline code spans and fenced code lines of a Markdown file: where commands are written. */
function codeOf(text: string): string[] {
  const fenced = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n'));
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  // A fenced command continued with a trailing backslash is one command.
  return [
    ...fenced
      .join('\n')
      .replace(/\\\n\s*/g, ' ')
      .split('\n'),
    ...inline,
  ];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(text: string): Set<string> {
  const body = text.replace(/```[\s\S]*?```/g, '');
  return new Set(
    [...body.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      (m[1] ?? '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

describe('documentation', () => {
  it('finds the Markdown files to check', () => {
    expect(markdown).toEqual(
      expect.arrayContaining(['README.md', 'docs/deployment.md', 'docs/configuration.md']),
    );
  });

  it.each(markdown)('%s: every `npm run X` exists in package.json', (file) => {
    const used = [...read(file).matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? '');
    expect(used.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it.each(markdown)('%s: every relative link resolves, anchors included', (file) => {
    const text = read(file);
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((link) => !/^[a-z]+:/i.test(link))
      .filter((link) => {
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? join(PROJECT_ROOT, file) : resolve(PROJECT_ROOT, dirname(file), path);
        if (!existsSync(target)) return true;
        return (
          anchor !== undefined &&
          target.endsWith('.md') &&
          !anchorsOf(readFileSync(target, 'utf8')).has(anchor)
        );
      });
    expect(broken).toEqual([]);
  });

  it.each(markdown)('%s: every cdk deploy/destroy/diff passes -c configFile=', (file) => {
    const missing = codeOf(read(file)).filter(
      (code) => /npx cdk (deploy|destroy|diff)\b/.test(code) && !code.includes('-c configFile='),
    );
    expect(missing).toEqual([]);
  });

  it.each(markdown)('%s: every doctor and e2e command passes --config', (file) => {
    const missing = codeOf(read(file)).filter(
      (code) => /npm run (doctor|test:e2e)\b/.test(code) && !code.includes('--config'),
    );
    expect(missing).toEqual([]);
  });

  it('gives one instruction for StackSets trusted access: through CloudFormation (its service-linked roles)', () => {
    const files = [...markdown, ...tracked.filter((f) => f.startsWith('scripts/'))];
    const organizationsWay = files.filter((f) => read(f).includes('enable-aws-service-access'));
    expect(organizationsWay).toEqual([]);
    expect(read('docs/deployment.md')).toContain('aws cloudformation activate-organizations-access');
    expect(read('scripts/doctor/organization.ts')).toContain(
      'aws cloudformation activate-organizations-access',
    );
  });

  it('documents the one configuration flag once, in docs/configuration.md', () => {
    const doc = read('docs/configuration.md');
    expect(doc).toContain('-c configFile=./my-org.json');
    expect(doc).toMatch(
      /our tools: doctor, preview, findings, sweep, bench, test:e2e\s*\|\s*`--config \.\/my-org\.json`/,
    );
    expect(doc).toContain(`export ${CONFIG_ENV}=./my-org.json`);
  });

  it('starts the quick start with the demo, synthesis on the line below, then the tests', () => {
    const fence = /## Quick start[\s\S]*?```bash\n([\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
    const commands = fence
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.split('#')[0]?.trim());
    expect(commands).toEqual(['npm ci && npm run demo', 'npx cdk synth', 'npm test']);
  });

  it('lists Graphviz as an optional prerequisite', () => {
    expect(read('README.md')).toMatch(/Optional: Graphviz/);
  });
});

describe('the repository names no file it does not contain', () => {
  // Design notes outside the repository must not be cited; the docs/ folder holds what a reader needs.
  // The event corpus next to the project (test/helpers/events.ts) is an optional test input, not cited.
  const outside = /\b(DESIGN|STYLE|TOOLCHAIN)(\.md)?\b/;
  // This file names them only to forbid them.
  const self = 'test/docs/docs.test.ts';

  it('in docs, ADRs, code and comments', () => {
    const offenders = tracked
      .filter((f) => f !== self && !f.startsWith('test/fixtures/') && f !== 'package-lock.json')
      .filter((f) => outside.test(read(f)));
    expect(offenders).toEqual([]);
  });
});

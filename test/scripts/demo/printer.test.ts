import { describe, expect, it } from 'vitest';
import { chatLines, renderJson, renderText } from '../../../scripts/demo/printer';
import { closingLine } from '../../../scripts/demo/run';
import { describeCheck } from '../../../scripts/demo/story';

const email = {
  type: 'message',
  channel: 'email',
  from: 'checker',
  topicArn: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
  subject: '[org-mfa-watch] HIGH: IAM user ops.lee has console access, no MFA (210987654321)',
  body: 'IAM user "ops.lee" in account 210987654321 (acme-prod) has a console password and no MFA.\n\nSeverity: HIGH',
  attributes: { severity: 'HIGH', accountId: '210987654321', finding: 'NO_MFA_CONSOLE' },
} as const;

describe('demo printer', () => {
  it('prints an email as the inbox receives it: subject, message attributes, then the body line by line', () => {
    expect(renderText(email).split('\n')).toEqual([
      '      ┌─ Email from SNS topic org-mfa-watch-alerts (published by the checker)',
      '      │ Subject: [org-mfa-watch] HIGH: IAM user ops.lee has console access, no MFA (210987654321)',
      '      │ Message attributes: severity=HIGH, accountId=210987654321, finding=NO_MFA_CONSOLE',
      '      │',
      '      │ IAM user "ops.lee" in account 210987654321 (acme-prod) has a console password and no MFA.',
      '      │',
      '      │ Severity: HIGH',
      '      └─',
      '',
    ]);
  });

  it('prints a chat notification by its title, text, next steps and keywords', () => {
    const body = JSON.stringify({
      version: '1.0',
      source: 'custom',
      content: {
        title: 'HIGH: ops.lee',
        description: 'line 1\nline 2',
        nextSteps: ['Enable MFA'],
        keywords: ['HIGH'],
      },
    });
    expect(chatLines(body)).toEqual([
      '*HIGH: ops.lee*',
      'line 1',
      'line 2',
      '  • Enable MFA',
      'keywords: HIGH',
    ]);
    expect(chatLines('not json')).toEqual(['not json']);
  });

  it('prints a progress line per step with its number and elapsed time', () => {
    expect(renderText({ type: 'step', index: 3, total: 9, title: 'Live event', atMs: 10_940 })).toBe(
      '\n[3/9] Live event  (+10.9 s)\n',
    );
  });

  it('prints one JSON object per line with --json', () => {
    const line = renderJson(email);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(email);
  });

  it('ends with what was demonstrated and how to deploy for real', () => {
    expect(closingLine(19.4, 12, 11)).toMatch(
      /^Demonstrated in 19\.4 s .* 12 simulated accounts: .* 11 messages .* Deploy for real: docs\/deployment\.md/,
    );
  });

  it.each([
    [
      { outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' },
      'checker: HIGH alert (NO_MFA_CONSOLE)',
    ],
    [
      { outcome: 'rescheduled', scheduleNames: ['a'] },
      'checker: 1 pending re-check(s) now follow the new name',
    ],
    [{ outcome: 'skipped', reason: 'exempt' }, 'checker: skipped (exempt)'],
  ] as const)('describes the checker result %o in one line', (result, line) => {
    expect(describeCheck(result)).toBe(line);
  });
});

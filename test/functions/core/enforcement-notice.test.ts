import { describe, expect, it } from 'vitest';
import {
  ENFORCEMENT_EVENT_NAME,
  haltNotice,
  userEnforcementMessages,
  userEnforcementNotice,
} from '../../../functions/core/enforcement-notice';
import { channelsFor } from '../../../functions/core/notify';

// Issue 23, item 6: every attach and detach is a notice naming the user, the reason and how to release;
// a halt is one HIGH alert. Sent through the one notification path as kind `enforcement`.

const quarantined = {
  action: 'quarantined',
  accountId: '111111111111',
  userName: 'contractor.kim',
  findingId: 'f-0123456789abcdef0123',
  reason: 'no MFA for 80 h since the alert (enforcement after 72 h)',
  by: 'sweep:daily-2026-12-01',
} as const;

describe('enforcement notices', () => {
  it('a quarantine names the user, the account, the reason, who acted and how to release', () => {
    const { email, chat } = userEnforcementMessages(quarantined);
    expect(email.subject).toMatch(
      /^org-mfa-watch: IAM user contractor\.kim in account 111111111111 quarantined/,
    );
    expect(email.body).toContain('The policy org-mfa-watch-quarantine was attached to contractor.kim');
    expect(email.body).toContain(`Why: ${quarantined.reason}.`);
    expect(email.body).toContain('npm run findings -- release f-0123456789abcdef0123 --reason');
    expect(email.body).toContain('By: sweep:daily-2026-12-01');
    expect(email.attributes).toMatchObject({
      severity: 'HIGH',
      eventName: ENFORCEMENT_EVENT_NAME,
      finding: 'USER_QUARANTINED',
      findingId: quarantined.findingId,
    });
    expect(chat.metadata?.threadId).toBe(quarantined.findingId);
    expect(chat.content.nextSteps?.[0]).toContain('npm run findings -- release');
  });

  it('a release says the policy was detached and why', () => {
    const { email } = userEnforcementMessages({
      ...quarantined,
      action: 'released',
      reason: 'quarantine released: the user enabled MFA',
    });
    expect(email.body).toContain('org-mfa-watch-quarantine was detached from contractor.kim');
    expect(email.attributes).toMatchObject({ severity: 'INFO', finding: 'USER_RELEASED' });
  });

  it('keeps an email subject ASCII (SNS) whatever the user name', () => {
    const { email } = userEnforcementMessages({ ...quarantined, userName: 'kim.민수' });
    expect(email.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('goes by email and chat, never as a Security Hub transition; a halt is HIGH', () => {
    const notice = userEnforcementNotice(quarantined);
    expect(notice.kind).toBe('enforcement');
    expect(channelsFor(notice.kind, notice.source, notice.severity)).toEqual({
      email: true,
      markNotified: false,
      securityHub: false,
    });
    const halt = haltNotice({
      sweepId: 's1',
      count: 30,
      maxPerSweep: 20,
      accountIds: ['111111111111'],
      why: '30 users are due',
    });
    expect(halt.severity).toBe('HIGH');
    expect(halt.messages?.email().attributes.finding).toBe('ENFORCEMENT_HALTED');
  });
});

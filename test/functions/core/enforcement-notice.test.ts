import { describe, expect, it } from 'vitest';
import {
  ENFORCEMENT_EVENT_NAME,
  haltNotice,
  userEnforcementMessages,
  userEnforcementNotice,
} from '../../../functions/core/enforcement-notice';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { channelsFor, createNotifier, type StoredTransition } from '../../../functions/core/notify';

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

  it('goes by email and chat, and to Security Hub with its finding (every attach and detach); a halt is HIGH', async () => {
    const stored = {
      ref: { accountId: quarantined.accountId, kind: 'USER_NO_MFA', userName: quarantined.userName },
      finding: { findingId: quarantined.findingId, accountId: quarantined.accountId },
      sessionHint: 'sweep-daily',
    } as unknown as StoredTransition;
    const notice = userEnforcementNotice({ ...quarantined, stored });
    expect(notice.kind).toBe('enforcement');
    expect(channelsFor(notice.kind, notice.source, notice.severity)).toEqual({
      email: true,
      markNotified: false,
      securityHub: true,
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

    // Through the one path: the quarantine's finding is imported once; the halt has no finding to import.
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const imported: StoredTransition[] = [];
    const notify = createNotifier({
      sns: new SNSClient({ region: 'us-east-1' }),
      alertTopicArn: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
      exportFinding: (s) => {
        imported.push(s);
        return Promise.resolve();
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => new Date('2026-12-07T00:00:00Z'),
    });
    await notify(notice);
    await notify(halt);
    expect(imported).toEqual([stored]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    sns.restore();
  });
});

import { describe, expect, it } from 'vitest';
import { chatNotificationProblems } from '../../../functions/core/chat-schema';
import { emailMessage } from '../../../functions/core/message-parts';
import { MAX_SUBJECT_LENGTH } from '../../../functions/core/message-text';
import {
  releaseChatNotice,
  releaseNoticeParts,
  type ReleaseNoticeInput,
} from '../../../functions/sweep-worker/release-message';

// Issue 23, item 6: the notice of a release by hand names the user, who released them, why, and what is
// left to do, in both alert languages; its subject is an SNS subject (ASCII, under 100 characters) and
// its chat message a valid custom notification.

const INPUT: ReleaseNoticeInput = {
  findingId: 'f-0123456789abcdef0123',
  accountId: '123456789012',
  accountAlias: 'acme-prod',
  userName: 'contractor.kim',
  by: 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com',
  reason: 'travelling, enrols Monday',
  at: new Date('2026-12-07T12:30:00Z'),
  quarantined: { at: '2026-12-04T09:05:00.000Z', by: 'sweep:2026-12-04', reason: 'USER_NO_MFA open 72 h' },
  afterHours: 72,
};
const SETTINGS = { locale: 'en' as const, timeZone: 'Europe/Berlin', partition: 'aws' };

describe('the release notice', () => {
  it('says who released whom, why, since when they were quarantined, and when the sweep may act again', () => {
    const { subject, body, attributes } = emailMessage(releaseNoticeParts(INPUT, SETTINGS));
    expect(subject).toBe('org-mfa-watch: quarantine of contractor.kim in 123456789012 released by hand');
    expect(body).toContain('"contractor.kim" in account 123456789012 (acme-prod) was released by hand');
    expect(body).toContain(`Released by: ${INPUT.by}`);
    expect(body).toContain('Reason: travelling, enrols Monday');
    expect(body).toContain('(sweep:2026-12-04: USER_NO_MFA open 72 h)');
    expect(body).toContain('a sweep after 2026-12-10 12:30:00 UTC');
    expect(attributes).toMatchObject({
      severity: 'INFO',
      finding: 'QUARANTINE_RELEASED',
      findingState: 'OPEN',
    });
  });

  it('is written in Korean for the ko locale', () => {
    const { body } = emailMessage(releaseNoticeParts(INPUT, { ...SETTINGS, locale: 'ko' }));
    expect(body).toContain('격리가 수동으로 해제되었습니다');
    expect(body).toContain(`해제한 사람: ${INPUT.by}`);
    expect(body).toContain('사유: travelling, enrols Monday');
  });

  it('keeps the subject an SNS subject with a long, non-ASCII reason and user name', () => {
    const long = { ...INPUT, userName: `u${'x'.repeat(63)}`, reason: '출장 중' };
    const { subject } = emailMessage(releaseNoticeParts(long, SETTINGS));
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('is a valid chat notification in the finding thread', () => {
    for (const locale of ['en', 'ko'] as const) {
      const chat = releaseChatNotice(INPUT, { ...SETTINGS, locale });
      expect(chatNotificationProblems(chat)).toEqual([]);
      expect(chat.metadata?.threadId).toBe(INPUT.findingId);
      expect(chat.metadata?.additionalContext?.releasedBy).toBe(INPUT.by);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { formatAlert } from '../../../functions/checker/format';
import { parseEvent } from '../../../functions/checker/parse-event';
import { projectFixture } from '../../helpers/events';

describe('Korean alert text', () => {
  const event = parseEvent(projectFixture('createuser-sso-console.json'));
  const ko = { locale: 'ko', timeZone: 'Asia/Seoul', partition: 'aws' } as const;

  it.each(['contractor.kim', 'svc_data', 'user7', 'backup-2'])(
    'writes a particle that fits the creation notice of %s, whatever the name ends with',
    (userName) => {
      const { body } = formatAlert(
        {
          finding: 'USER_CREATED',
          severity: 'INFO',
          event,
          userName,
          checkDueAt: new Date('2026-10-06T09:16:40Z'),
        },
        ko,
      );
      expect(body).toContain(`IAM 사용자 "${userName}"이(가) 생성되었습니다.`);
      expect(body).not.toMatch(/"[^"]*"[가이] /);
    },
  );
});

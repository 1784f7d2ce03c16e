import { describe, expect, it } from 'vitest';
import {
  KO_DIRECTION,
  KO_OBJECT,
  KO_SUBJECT,
  KO_TOPIC,
  withParticle,
} from '../../../functions/core/korean-particles';

describe('withParticle: Korean particles after names and numbers', () => {
  it.each([
    // Hangul: chosen by the last syllable's final consonant (batchim).
    ['사용자', KO_SUBJECT, '사용자가'],
    ['계정', KO_SUBJECT, '계정이'],
    ['"김민준"', KO_SUBJECT, '"김민준"이'],
    ['"박지우"', KO_SUBJECT, '"박지우"가'],
    ['역할', KO_OBJECT, '역할을'],
    ['사용자', KO_OBJECT, '사용자를'],
    ['계정', KO_TOPIC, '계정은'],
    ['사용자', KO_TOPIC, '사용자는'],
    ['부산', KO_DIRECTION, '부산으로'],
    ['서울', KO_DIRECTION, '서울로'],
    ['파리', KO_DIRECTION, '파리로'],
    // Latin letters and digits: the reading decides, so both forms are written.
    ['"contractor.kim"', KO_SUBJECT, '"contractor.kim"이(가)'],
    ['"svc-data"', KO_SUBJECT, '"svc-data"이(가)'],
    ['210987654321', KO_SUBJECT, '210987654321이(가)'],
    ['"user7"', KO_OBJECT, '"user7"을(를)'],
    ['root', KO_TOPIC, 'root은(는)'],
    ['kim', KO_DIRECTION, 'kim(으)로'],
  ])('%s + %j -> %s', (word, particle, expected) => {
    expect(withParticle(word, particle)).toBe(expected);
  });
});

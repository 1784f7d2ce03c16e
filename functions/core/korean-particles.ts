/**
 * Korean particles after names and numbers (이/가, 을/를, 은/는, (으)로): every Korean message of every
 * function writes them the same way. Pure, no dependencies.
 */

/** A Korean particle: its form after a final consonant (batchim) and after a vowel, e.g. 이/가. */
export type KoreanParticle = readonly [afterConsonant: string, afterVowel: string];

/** Subject particle 이/가. */
export const KO_SUBJECT: KoreanParticle = ['이', '가'];
/** Object particle 을/를. */
export const KO_OBJECT: KoreanParticle = ['을', '를'];
/** Topic particle 은/는. */
export const KO_TOPIC: KoreanParticle = ['은', '는'];
/** Direction particle (으)로: a final ㄹ takes 로, like a vowel. */
export const KO_DIRECTION: KoreanParticle = ['으로', '로'];

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** Index of the final consonant ㄹ in a Hangul syllable's decomposition. */
const FINAL_RIEUL = 8;

/**
 * `word` followed by the form of a Korean particle that fits it. After a Hangul syllable the form
 * follows its final consonant (사용자가, 계정이; 서울로, 부산으로). After anything else, which for IAM
 * user names (ASCII letters, digits and +=,.@_-) and account ids is all there is, Korean has no single
 * right form: how a Latin name or a number ends depends on how it is read ("kim" 킴, "data" 데이터, "7"
 * 칠, "2" 이), so both forms are written, 이(가), 을(를), (으)로, as Korean interfaces conventionally do.
 * Closing quotes and brackets are looked through to the last letter. Pure.
 */
export function withParticle(word: string, [afterConsonant, afterVowel]: KoreanParticle): string {
  const bare = word.replace(/["'\u201d\u2019)\]}>]+$/u, '');
  // Hangul syllables are single UTF-16 code units, so the last unit is enough to recognize one.
  const code = bare.charCodeAt(bare.length - 1);
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) {
    const final = (code - HANGUL_FIRST) % 28;
    const vowelForm = final === 0 || (final === FINAL_RIEUL && afterConsonant === '으로');
    return `${word}${vowelForm ? afterVowel : afterConsonant}`;
  }
  const both = afterConsonant.endsWith(afterVowel)
    ? `(${afterConsonant.slice(0, -afterVowel.length)})${afterVowel}`
    : `${afterConsonant}(${afterVowel})`;
  return `${word}${both}`;
}

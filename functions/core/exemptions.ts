import { EXEMPT_TAG_KEY, EXEMPT_UNTIL_TAG_KEY, isCalendarDate, type Exemption } from '../contract/exemption';

/** Where an exemption was found. */
export type ExemptionSource = 'config' | 'tag';

/** An exemption that matched the user, whether it still applies or not. */
export interface MatchedExemption {
  readonly source: ExemptionSource;
  readonly reason: string;
  /** Last day (UTC, `YYYY-MM-DD`) it applies; absent = no expiry. */
  readonly expires?: string;
  /** For config exemptions: what matched (`userName alice` or `pathPrefix /svc/`). */
  readonly matchedBy?: string;
}

/** Why an exemption tag could not be used, for the alert (rendered per locale by format.ts). */
export type TagProblem =
  | { readonly problem: 'until-without-reason' }
  | { readonly problem: 'empty-reason' }
  | { readonly problem: 'bad-date'; readonly value: string };

/**
 * The exemption status of one user:
 * - `exempt`: an unexpired exemption applies (config: a logged skip; a trusted tag: an INFO notice);
 * - `expired`: the only matching exemptions have expired (alert, saying so);
 * - `invalid-tag`: the exemption tag is present but unusable (alert, saying why);
 * - `untrusted-tag`: the exemption tag is present but tags are not trusted (alert, naming the tag);
 * - `none`: nothing matched.
 */
export type ExemptionStatus =
  | { readonly status: 'exempt'; readonly exemption: MatchedExemption }
  | { readonly status: 'expired'; readonly exemption: MatchedExemption }
  | { readonly status: 'invalid-tag'; readonly problem: TagProblem }
  | { readonly status: 'untrusted-tag'; readonly value: string }
  | { readonly status: 'none' };

/** How exemptions are evaluated for this deployment. */
export interface ExemptionPolicy {
  /**
   * Honour the exemption tag. Off by default: whoever may call CreateUser may usually tag the user,
   * so the creator of a backdoor user could exempt it (configuration exemptions stay trusted).
   */
  readonly trustTags: boolean;
}

/** What the exemption rules need to know about the user. */
export interface ExemptionSubject {
  readonly accountId: string;
  readonly userName: string;
  /** The user's IAM path, when known (from the CreateUser event). */
  readonly path?: string;
  /** The user's tags, as IAM returns them (ListUserTags). */
  readonly tags: readonly { readonly Key?: string; readonly Value?: string }[];
}

/** An exemption with an expiry date applies through the end of that day, UTC. */
function isExpired(expires: string | undefined, now: Date): boolean {
  if (expires === undefined) return false;
  const endOfDay = Date.parse(`${expires}T00:00:00Z`) + 24 * 60 * 60 * 1000;
  return now.getTime() >= endOfDay;
}

function configMatches(exemption: Exemption, subject: ExemptionSubject): string | undefined {
  if (exemption.accountId !== subject.accountId) return undefined;
  if (exemption.userName !== undefined) {
    return exemption.userName === subject.userName ? `userName ${exemption.userName}` : undefined;
  }
  if (exemption.pathPrefix !== undefined && subject.path?.startsWith(exemption.pathPrefix)) {
    return `pathPrefix ${exemption.pathPrefix}`;
  }
  return undefined;
}

function tagExemption(subject: ExemptionSubject): MatchedExemption | TagProblem | undefined {
  const tag = (key: string) => subject.tags.find((t) => t.Key === key)?.Value;
  const reason = tag(EXEMPT_TAG_KEY)?.trim();
  const until = tag(EXEMPT_UNTIL_TAG_KEY)?.trim();
  if (reason === undefined) return until === undefined ? undefined : { problem: 'until-without-reason' };
  if (reason === '') return { problem: 'empty-reason' };
  if (until !== undefined && !isCalendarDate(until)) return { problem: 'bad-date', value: until };
  return until === undefined ? { source: 'tag', reason } : { source: 'tag', reason, expires: until };
}

/**
 * Decide whether an exemption applies to a user at `now`. Pure. A configuration exemption is always
 * trusted; the exemption tag only when the policy says so. An unexpired exemption wins (configuration
 * first); otherwise an expired one is reported (so the alert can say it expired); a malformed or
 * untrusted exemption tag never exempts anyone, and the alert names it.
 */
export function evaluateExemptions(
  subject: ExemptionSubject,
  configured: readonly Exemption[],
  now: Date,
  policy: ExemptionPolicy,
): ExemptionStatus {
  const matched: MatchedExemption[] = [];
  for (const exemption of configured) {
    const matchedBy = configMatches(exemption, subject);
    if (matchedBy === undefined) continue;
    matched.push({
      source: 'config',
      reason: exemption.reason,
      matchedBy,
      ...(exemption.expires === undefined ? {} : { expires: exemption.expires }),
    });
  }
  const fromTag = tagExemption(subject);
  const untrustedTag =
    fromTag !== undefined && 'source' in fromTag && !policy.trustTags ? fromTag : undefined;
  if (fromTag !== undefined && 'source' in fromTag && policy.trustTags) matched.push(fromTag);

  const active = matched.find((e) => !isExpired(e.expires, now));
  if (active) return { status: 'exempt', exemption: active };
  if (untrustedTag) return { status: 'untrusted-tag', value: untrustedTag.reason };
  const expired = matched[0];
  if (expired) return { status: 'expired', exemption: expired };
  if (fromTag !== undefined && 'problem' in fromTag) return { status: 'invalid-tag', problem: fromTag };
  return { status: 'none' };
}

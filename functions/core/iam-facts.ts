import {
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import type { RootFacts, UserFacts } from './judge';
import { errorName } from './errors';

/** IAM's answer about one user, plus its tags (for tag exemptions). */
export interface UserReport extends UserFacts {
  readonly tags: readonly Tag[];
}

const NO_SUCH_ENTITY = new Set(['NoSuchEntityException', 'NoSuchEntity']);

function isNoSuchEntity(error: unknown): boolean {
  return NO_SUCH_ENTITY.has(errorName(error) ?? '');
}

/**
 * Read a user's MFA devices, console password and tags, in parallel. NoSuchEntity means different
 * things per call: from ListMFADevices or ListUserTags the user is gone; from GetLoginProfile the
 * user merely has no console password. Any other error propagates (after the SDK's retries).
 */
export async function readUser(iam: IAMClient, userName: string): Promise<UserReport> {
  const gone = Symbol('gone');
  const orGone = <T>(promise: Promise<T>): Promise<T | typeof gone> =>
    promise.catch((error: unknown) => {
      if (isNoSuchEntity(error)) return gone;
      throw error;
    });
  const [devices, profile, tags] = await Promise.all([
    orGone(iam.send(new ListMFADevicesCommand({ UserName: userName }))),
    orGone(iam.send(new GetLoginProfileCommand({ UserName: userName }))),
    orGone(iam.send(new ListUserTagsCommand({ UserName: userName }))),
  ]);
  if (devices === gone || tags === gone) {
    return { exists: false, mfaDeviceCount: 0, hasConsolePassword: false, tags: [] };
  }
  return {
    exists: true,
    mfaDeviceCount: devices.MFADevices?.length ?? 0,
    hasConsolePassword: profile !== gone && profile.LoginProfile !== undefined,
    tags: tags.Tags ?? [],
  };
}

/**
 * The root user's password and MFA state. `iam:GetAccountSummary` answers `AccountMFAEnabled` and
 * `AccountPasswordPresent` (1 or 0) for the root user of the calling account (IAM API reference,
 * GetAccountSummary). A summary without those keys is an error, never a guess.
 */
export async function readRoot(iam: IAMClient): Promise<RootFacts> {
  const { SummaryMap: summary } = await iam.send(new GetAccountSummaryCommand({}));
  const mfa = summary?.AccountMFAEnabled;
  const password = summary?.AccountPasswordPresent;
  if (mfa === undefined || password === undefined) {
    throw new Error('GetAccountSummary returned no AccountMFAEnabled/AccountPasswordPresent');
  }
  return { mfaEnabled: mfa > 0, passwordPresent: password > 0 };
}

/**
 * The account alias, cached per account for the life of the container; concurrent lookups for one
 * account share one call. Aliases are cosmetic: a failure is reported to `onError` and yields no
 * alias, and is not cached, so a later event tries again.
 */
export class AccountAliases {
  private readonly cache = new Map<string, Promise<string | undefined>>();

  aliasOf(accountId: string, iam: IAMClient, onError: (error: unknown) => void): Promise<string | undefined> {
    const cached = this.cache.get(accountId);
    if (cached) return cached;
    const lookup = (async () => {
      try {
        const response = await iam.send(new ListAccountAliasesCommand({}));
        return response.AccountAliases?.[0];
      } catch (error) {
        this.cache.delete(accountId);
        onError(error);
        return undefined;
      }
    })();
    this.cache.set(accountId, lookup);
    return lookup;
  }
}

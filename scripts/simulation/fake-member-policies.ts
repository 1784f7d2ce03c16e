/**
 * The managed policies attached to the fake member accounts' users, for opt-in enforcement (ADR 0022):
 * IAM's ListAttachedUserPolicies, AttachUserPolicy and DetachUserPolicy as the query protocol answers
 * them (IAM API Reference): NoSuchEntity for a user that does not exist, for a policy the account does
 * not have (the quarantine policy exists unless `quarantinePolicy: false`), and for detaching a policy
 * that is not attached.
 */
import { IAM_NS, xml, xmlError } from './fake-aws';
import type { Answer, FakeAccount } from './fake-member-model';

const noSuchEntity = (message: string): Answer => [404, xmlError('NoSuchEntity', message), 'text/xml'];

/** Attached managed policy ARNs per `account:user`. */
export class FakeAttachedPolicies {
  private readonly attached = new Map<string, Set<string>>();

  /** The policy ARNs attached to the user, in attach order. */
  of(accountId: string, userName: string): string[] {
    return [...(this.attached.get(`${accountId}:${userName}`) ?? [])];
  }

  /** Attach a policy outside the API (a test's starting state). */
  attach(accountId: string, userName: string, policyArn: string): void {
    const key = `${accountId}:${userName}`;
    this.attached.set(key, new Set([...(this.attached.get(key) ?? []), policyArn]));
  }

  /** The answer to an IAM policy-attachment action, or undefined for any other action. */
  answer(
    action: string,
    accountId: string,
    account: FakeAccount,
    params: Readonly<Record<string, string>>,
  ): Answer | undefined {
    if (!['ListAttachedUserPolicies', 'AttachUserPolicy', 'DetachUserPolicy'].includes(action)) {
      return undefined;
    }
    const userName = params.UserName ?? '';
    if (account.users?.[userName] === undefined) {
      return noSuchEntity(`The user with name ${userName} cannot be found.`);
    }
    const key = `${accountId}:${userName}`;
    const policies = this.attached.get(key) ?? new Set<string>();
    const policyArn = params.PolicyArn ?? '';
    if (action === 'ListAttachedUserPolicies') {
      const members = [...policies]
        .map(
          (arn) =>
            `<member><PolicyName>${arn.split('/').pop() ?? ''}</PolicyName><PolicyArn>${arn}</PolicyArn></member>`,
        )
        .join('');
      return [
        200,
        xml(
          action,
          IAM_NS,
          `<AttachedPolicies>${members}</AttachedPolicies><IsTruncated>false</IsTruncated>`,
        ),
        'text/xml',
      ];
    }
    if (action === 'AttachUserPolicy') {
      if (account.quarantinePolicy === false)
        return noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
      this.attached.set(key, new Set([...policies, policyArn]));
    } else {
      if (!policies.has(policyArn)) return noSuchEntity(`Policy ${policyArn} was not found.`);
      policies.delete(policyArn);
    }
    return [
      200,
      `<${action}Response xmlns="${IAM_NS}"><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`,
      'text/xml',
    ];
  }
}

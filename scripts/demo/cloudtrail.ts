import { randomUUID } from 'node:crypto';
import { CANARY_TAG_KEY } from '../../functions/contract/canary';
import { toEnvelope } from '../envelope';

/**
 * CloudTrail records of the demo's live events, shaped like the real ones in the shared fixtures
 * (an IAM Identity Center administrator in the console, the user itself for its own MFA), delivered in
 * the EventBridge envelope the central rule hands to the checker.
 */

/** Who made the call. */
export type Actor = { readonly kind: 'sso-admin' } | { readonly kind: 'user'; readonly userName: string };

/** One live IAM call of the story. */
export interface LiveCall {
  readonly eventName: 'CreateUser' | 'DeactivateMFADevice' | 'UpdateUser' | 'EnableMFADevice';
  readonly accountId: string;
  readonly actor: Actor;
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly responseElements?: Readonly<Record<string, unknown>>;
}

const SSO_ROLE = 'AWSReservedSSO_AdministratorAccess_0123456789abcdef';

function userIdentity(actor: Actor, accountId: string, at: Date): Record<string, unknown> {
  if (actor.kind === 'user') {
    return {
      type: 'IAMUser',
      principalId: 'AIDAY3EXAMPLEPRINCIPAL',
      arn: `arn:aws:iam::${accountId}:user/${actor.userName}`,
      accountId,
      accessKeyId: 'ASIAY3EXAMPLECONSOLE',
      userName: actor.userName,
      sessionContext: { attributes: { creationDate: at.toISOString(), mfaAuthenticated: 'false' } },
      invokedBy: 'signin.amazonaws.com',
    };
  }
  return {
    type: 'AssumedRole',
    principalId: 'AROAY3EXAMPLEROLEID:jane.doe@example.com',
    arn: `arn:aws:sts::${accountId}:assumed-role/${SSO_ROLE}/jane.doe@example.com`,
    accountId,
    accessKeyId: 'ASIAY3EXAMPLESESSION',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAY3EXAMPLEROLEID',
        arn: `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/${SSO_ROLE}`,
        accountId,
        userName: SSO_ROLE,
      },
      webIdFederationData: {},
      attributes: { creationDate: at.toISOString(), mfaAuthenticated: 'true' },
    },
  };
}

/** The CloudTrail record of `call` at `at` (a management event, IAM's global endpoint, us-east-1). */
export function cloudTrailRecord(call: LiveCall, at: Date): Record<string, unknown> {
  const eventTime = `${at.toISOString().slice(0, 19)}Z`;
  return {
    eventVersion: '1.09',
    userIdentity: userIdentity(call.actor, call.accountId, at),
    eventTime,
    eventSource: 'iam.amazonaws.com',
    eventName: call.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.24',
    userAgent: call.actor.kind === 'user' ? 'signin.amazonaws.com' : 'AWS Internal',
    requestParameters: call.requestParameters,
    responseElements: call.responseElements ?? null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.accountId,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'iam.amazonaws.com',
    },
    ...(call.actor.kind === 'sso-admin' ? { sessionCredentialFromConsole: 'true' } : {}),
  };
}

/** The event the checker receives for `call` (the central rule delivers the envelope as it is). */
export function liveEvent(call: LiveCall, at: Date): Record<string, unknown> {
  return toEnvelope(cloudTrailRecord(call, at));
}

/** CreateUser by the console administrator, as IAM answers it (path `/`). */
export function createUser(accountId: string, userName: string, at: Date): LiveCall {
  return {
    eventName: 'CreateUser',
    accountId,
    actor: { kind: 'sso-admin' },
    requestParameters: { userName },
    responseElements: {
      user: {
        path: '/',
        userName,
        userId: 'AIDAY3EXAMPLEUSER042',
        arn: `arn:aws:iam::${accountId}:user/${userName}`,
        createDate: at.toUTCString(),
      },
    },
  };
}

/** The user (signed in to the console) deactivates or enables its own MFA device. */
export function ownMfa(
  eventName: 'DeactivateMFADevice' | 'EnableMFADevice',
  accountId: string,
  userName: string,
): LiveCall {
  return {
    eventName,
    accountId,
    actor: { kind: 'user', userName },
    requestParameters: { userName, serialNumber: `arn:aws:iam::${accountId}:mfa/${userName}-phone` },
  };
}

/** The administrator renames a user (UpdateUser with newUserName). */
export function renameUser(accountId: string, userName: string, newUserName: string): LiveCall {
  return {
    eventName: 'UpdateUser',
    accountId,
    actor: { kind: 'sso-admin' },
    requestParameters: { userName, newUserName },
  };
}

/**
 * The canary the sweep worker sent in `accountId` (docs/adr/0021-canary.md): TagRole by the check role's
 * session on the check role itself, the canary key and the sweep id, as CloudTrail records it (the fields
 * of test/fixtures/canary/tagrole-canary.json) and the member rule forwards it.
 */
export function canaryEvent(
  accountId: string,
  checkRoleName: string,
  sweepId: string,
  at: Date,
): Record<string, unknown> {
  const session = 'org-mfa-watch-sweep';
  return toEnvelope({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAY3EXAMPLECHECKROLE:${session}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${checkRoleName}/${session}`,
      accountId,
      accessKeyId: 'ASIAY3EXAMPLESWEEP',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAY3EXAMPLECHECKROLE',
          arn: `arn:aws:iam::${accountId}:role/${checkRoleName}`,
          accountId,
          userName: checkRoleName,
        },
        attributes: { creationDate: at.toISOString(), mfaAuthenticated: 'false' },
      },
    },
    eventTime: `${at.toISOString().slice(0, 19)}Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'TagRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '3.120.0.10',
    userAgent: 'aws-sdk-js/3 api/iam',
    requestParameters: { roleName: checkRoleName, tags: [{ key: CANARY_TAG_KEY, value: sweepId }] },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  });
}

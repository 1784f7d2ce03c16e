import * as z from 'zod/mini';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  IAM_CLOUDTRAIL_EVENT_SOURCE,
  IAM_EVENT_SOURCE,
  WATCHED_EVENT_NAMES,
  type WatchedEventName,
} from '../contract/contract';
import { IAM_PATH, IAM_USER_NAME } from '../contract/exemption';
import { InvalidEventError } from './errors';
import { RECHECK_MARKER_KEY, RECHECK_TRIGGERS, type RecheckMarker } from './recheck';

/** Whom the event is about. */
export type EventTarget =
  /** An IAM user, by name (and path, when the event tells it). */
  | { readonly kind: 'user'; readonly userName: string; readonly path?: string }
  /** The account's root user. */
  | { readonly kind: 'root' }
  /**
   * A user renamed or moved (UpdateUser): `userName` is the name after the call, `previousUserName` the
   * one before; `path` is the new path when the call set one.
   */
  | {
      readonly kind: 'renamed-user';
      readonly previousUserName: string;
      readonly userName: string;
      readonly path?: string;
    }
  /** A virtual MFA device, known only by its serial number (DeleteVirtualMFADevice). */
  | { readonly kind: 'mfa-device'; readonly serialNumber: string }
  /** A failed call whose request does not name a valid target (it is skipped anyway). */
  | { readonly kind: 'unknown' };

/** Who made the call, as CloudTrail recorded it: informational, shown in alerts, never trusted for decisions. */
export interface Actor {
  readonly type: string;
  readonly arn: string;
  readonly invokedBy?: string;
}

/** A validated IAM CloudTrail event, as the checker uses it. */
export interface ParsedEvent {
  /** EventBridge event id. */
  readonly id: string;
  /** The account the call was made in (envelope `account`, equal to `detail.recipientAccountId`). */
  readonly accountId: string;
  readonly eventName: WatchedEventName;
  /** CloudTrail `eventID`, when present. */
  readonly eventId?: string;
  readonly eventTime: Date;
  /** Set when the call failed: nothing was created or changed. */
  readonly errorCode?: string;
  readonly actor: Actor;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly target: EventTarget;
  /** Present when this is a scheduled re-check rather than a live event. */
  readonly recheck?: RecheckMarker;
  /** The original EventBridge envelope (without a re-check marker), replayed by a scheduled re-check. */
  readonly envelope: Readonly<Record<string, unknown>>;
}

const ROOT_USER_NAME_IN_EVENTS = 'AWS ROOT USER';
const ROOT_MFA_SERIAL = /:mfa\/root-account-mfa-device$/;

// zod/mini: the same validation as classic zod at a fraction of the bundle (see docs/benchmarks.md).
const nonBlank = (what: string) =>
  z.string({ error: `a ${what} string` }).check(z.trim(), z.minLength(1, { error: `a non-blank ${what}` }));

const isoTime = (what: string) =>
  z.string({ error: `${what} as an ISO 8601 timestamp string` }).check(
    z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, {
      error: `${what} as an ISO 8601 timestamp such as 2024-08-01T13:33:28Z`,
    }),
    z.refine((value) => !Number.isNaN(Date.parse(value)), { error: `${what} as a real date and time` }),
  );

const accountId = (what: string) =>
  z.string({ error: `${what} string` }).check(z.regex(/^\d{12}$/, { error: `${what} of 12 digits` }));

const optionalText = z.optional(z.string());
const jsonObject = z.record(z.string(), z.unknown());

const userIdentitySchema = z.object(
  {
    type: optionalText,
    arn: optionalText,
    accountId: optionalText,
    invokedBy: optionalText,
    userName: optionalText,
  },
  { error: 'an object' },
);

const detailSchema = z.object(
  {
    eventSource: z.literal(IAM_CLOUDTRAIL_EVENT_SOURCE, { error: `"${IAM_CLOUDTRAIL_EVENT_SOURCE}"` }),
    eventName: z.enum(WATCHED_EVENT_NAMES, { error: `one of ${WATCHED_EVENT_NAMES.join(', ')}` }),
    eventTime: isoTime('the event time'),
    eventID: optionalText,
    recipientAccountId: z.optional(accountId('an account id')),
    errorCode: optionalText,
    userIdentity: z.optional(userIdentitySchema),
    sourceIPAddress: optionalText,
    userAgent: optionalText,
    requestParameters: z.optional(z.nullable(jsonObject)),
    responseElements: z.optional(z.nullable(jsonObject)),
  },
  { error: 'the CloudTrail record as an object' },
);

const recheckMarkerSchema = z.strictObject({
  trigger: z.enum(RECHECK_TRIGGERS, { error: `one of ${RECHECK_TRIGGERS.join(', ')}` }),
  dueAt: isoTime('the due time'),
  scheduleName: z.string().check(z.regex(/^[0-9a-zA-Z\-_.]{1,64}$/, { error: 'a schedule name' })),
  // Set when the user was renamed or moved after the original event (UpdateUser): check this name.
  userName: z.optional(
    z.string().check(z.regex(IAM_USER_NAME, { error: 'an IAM user name of 1-64 characters' })),
  ),
  path: z.optional(z.string().check(z.regex(IAM_PATH, { error: 'an IAM path such as /team/' }))),
});

// Key order is the order problems are reported in: what the event is, then whose, then the rest.
const envelopeSchema = z.object(
  {
    source: z.literal(IAM_EVENT_SOURCE, { error: `"${IAM_EVENT_SOURCE}"` }),
    'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE, { error: `"${CLOUDTRAIL_DETAIL_TYPE}"` }),
    account: accountId('an AWS account id'),
    id: nonBlank('event id'),
    time: isoTime('the envelope time'),
    region: z
      .string({ error: 'a region string' })
      .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: 'an AWS region name' })),
    detail: detailSchema,
    [RECHECK_MARKER_KEY]: z.optional(recheckMarkerSchema),
  },
  { error: 'an EventBridge event object' },
);

type Envelope = z.infer<typeof envelopeSchema>;
type Detail = Envelope['detail'];

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(event)' : path.map(String).join('.');
}

function summarize(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function stringAt(obj: Record<string, unknown> | null | undefined, ...path: string[]): unknown {
  return valueAt(obj, path);
}

function userNameFrom(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IAM_USER_NAME.test(value)) {
    throw new InvalidEventError(
      field,
      'an IAM user name of 1-64 characters from [A-Za-z0-9+=,.@_-]',
      summarize(value),
    );
  }
  return value;
}

function optionalPath(value: unknown): string | undefined {
  return typeof value === 'string' && IAM_PATH.test(value) ? value : undefined;
}

/** The user a CreateUser or CreateLoginProfile names: the response (what IAM did) wins over the request. */
function createdTarget(detail: Detail, responseKey: 'user' | 'loginProfile'): EventTarget {
  const fromResponse = stringAt(detail.responseElements, responseKey, 'userName');
  const fromRequest = stringAt(detail.requestParameters, 'userName');
  if (fromResponse !== undefined) {
    const path = optionalPath(
      stringAt(detail.responseElements, responseKey, 'path') ?? stringAt(detail.requestParameters, 'path'),
    );
    const userName = userNameFrom(fromResponse, `detail.responseElements.${responseKey}.userName`);
    return path === undefined ? { kind: 'user', userName } : { kind: 'user', userName, path };
  }
  if (
    fromRequest === undefined &&
    detail.eventName === 'CreateLoginProfile' &&
    detail.userIdentity?.type === 'Root'
  ) {
    // Without UserName, CreateLoginProfile acts on the caller: here the root user (centralized root access).
    return { kind: 'root' };
  }
  const userName = userNameFrom(fromRequest, 'detail.requestParameters.userName');
  const path = optionalPath(stringAt(detail.requestParameters, 'path'));
  return path === undefined ? { kind: 'user', userName } : { kind: 'user', userName, path };
}

/** The user whose MFA device an Enable/Deactivate call changed. */
function mfaTarget(detail: Detail): EventTarget {
  const userName = stringAt(detail.requestParameters, 'userName');
  const serial = stringAt(detail.requestParameters, 'serialNumber');
  const isRootCaller = detail.userIdentity?.type === 'Root';
  if (userName === ROOT_USER_NAME_IN_EVENTS || (typeof serial === 'string' && ROOT_MFA_SERIAL.test(serial))) {
    return { kind: 'root' };
  }
  if (userName === undefined || userName === null) {
    // Without UserName, IAM acts on the calling identity: the root user, or the calling IAM user.
    if (isRootCaller) return { kind: 'root' };
    if (detail.userIdentity?.type === 'IAMUser') {
      return {
        kind: 'user',
        userName: userNameFrom(detail.userIdentity.userName, 'detail.userIdentity.userName'),
      };
    }
  }
  return { kind: 'user', userName: userNameFrom(userName, 'detail.requestParameters.userName') };
}

function deletedDeviceTarget(detail: Detail): EventTarget {
  const serial = stringAt(detail.requestParameters, 'serialNumber');
  if (typeof serial !== 'string' || serial.trim() === '') {
    throw new InvalidEventError(
      'detail.requestParameters.serialNumber',
      'the MFA device serial number',
      summarize(serial),
    );
  }
  // The serial names no owner. The root user's first device has a fixed serial; any other device deleted
  // by the root user may be its own (root may register devices under any name), so the root user's MFA
  // state is read for it: a root event either way.
  if (ROOT_MFA_SERIAL.test(serial) || detail.userIdentity?.type === 'Root') return { kind: 'root' };
  return { kind: 'mfa-device', serialNumber: serial };
}

/** UpdateUser: the user before and after a rename or a move to a new path. */
function updatedTarget(detail: Detail): EventTarget {
  const userName = userNameFrom(
    stringAt(detail.requestParameters, 'userName'),
    'detail.requestParameters.userName',
  );
  const newName = stringAt(detail.requestParameters, 'newUserName');
  const newPath = stringAt(detail.requestParameters, 'newPath');
  const renamedTo =
    newName === undefined || newName === null
      ? userName
      : userNameFrom(newName, 'detail.requestParameters.newUserName');
  if (newPath !== undefined && newPath !== null && optionalPath(newPath) === undefined) {
    throw new InvalidEventError(
      'detail.requestParameters.newPath',
      'an IAM path that starts and ends with "/"',
      summarize(newPath),
    );
  }
  const path = optionalPath(newPath);
  return {
    kind: 'renamed-user',
    previousUserName: userName,
    userName: renamedTo,
    ...(path === undefined ? {} : { path }),
  };
}

function targetOf(detail: Detail): EventTarget {
  switch (detail.eventName) {
    case 'CreateUser':
      return createdTarget(detail, 'user');
    case 'CreateLoginProfile':
      return createdTarget(detail, 'loginProfile');
    case 'EnableMFADevice':
    case 'DeactivateMFADevice':
      return mfaTarget(detail);
    case 'DeleteVirtualMFADevice':
      return deletedDeviceTarget(detail);
    case 'UpdateUser':
      return updatedTarget(detail);
  }
}

/** A re-check of a user renamed or moved since the original event checks the user as it is now. */
function withRecheckOverride(target: EventTarget, marker: RecheckMarker | undefined): EventTarget {
  if (marker?.userName === undefined || target.kind !== 'user') return target;
  const path = marker.path ?? target.path;
  return path === undefined
    ? { kind: 'user', userName: marker.userName }
    : { kind: 'user', userName: marker.userName, path };
}

function bestEffortTarget(detail: Detail): EventTarget {
  try {
    return targetOf(detail);
  } catch (error) {
    if (error instanceof InvalidEventError) return { kind: 'unknown' };
    throw error;
  }
}

/**
 * Validate an EventBridge envelope carrying an IAM CloudTrail record, strictly, and extract what the
 * checker needs. Pure.
 * @throws InvalidEventError naming the first offending field and what it must be
 */
export function parseEvent(input: unknown): ParsedEvent {
  const result = envelopeSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    throw new InvalidEventError(
      fieldPath(path),
      issue?.message ?? 'a valid event',
      summarize(valueAt(input, path)),
    );
  }
  const envelope = result.data;
  const { detail } = envelope;
  if (detail.recipientAccountId !== undefined && detail.recipientAccountId !== envelope.account) {
    throw new InvalidEventError(
      'detail.recipientAccountId',
      `the envelope account ${envelope.account}`,
      summarize(detail.recipientAccountId),
    );
  }
  // A failed call changed nothing and is skipped; its target is only logged, so a bad one is not an error.
  const target = withRecheckOverride(
    detail.errorCode === undefined ? targetOf(detail) : bestEffortTarget(detail),
    envelope[RECHECK_MARKER_KEY],
  );
  const { [RECHECK_MARKER_KEY]: _marker, ...original } = input as Record<string, unknown>;
  const identity = detail.userIdentity;
  return {
    id: envelope.id,
    accountId: envelope.account,
    eventName: detail.eventName,
    ...(detail.eventID === undefined ? {} : { eventId: detail.eventID }),
    eventTime: new Date(detail.eventTime),
    ...(detail.errorCode === undefined ? {} : { errorCode: detail.errorCode }),
    actor: {
      type: identity?.type?.trim() || 'unknown',
      arn: identity?.arn?.trim() || 'unknown',
      ...(identity?.invokedBy === undefined ? {} : { invokedBy: identity.invokedBy }),
    },
    sourceIp: detail.sourceIPAddress?.trim() || 'unknown',
    userAgent: detail.userAgent?.trim() || 'unknown',
    target,
    ...(envelope[RECHECK_MARKER_KEY] === undefined ? {} : { recheck: envelope[RECHECK_MARKER_KEY] }),
    envelope: original,
  };
}

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { FINDINGS_ENV, FINDING_KEY, FINDING_TTL_ATTRIBUTE } from '../../functions/contract/findings';
import { NAMES } from '../names';
import { grantKeyVia } from './central-key';

/** Properties of {@link FindingTable}. */
export interface FindingTableProps {
  /**
   * Days a resolved finding is kept (then DynamoDB's TTL deletes it, usually within a few days).
   * Whole days, 1-3650.
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * The key that encrypts a new table: the central key ({@link CentralKey}), retained with the table.
   * Not used when `retainedTableKeyArn` is set (the retained table keeps the key it was encrypted with).
   */
  readonly key: kms.IKey;
  /**
   * The ARN of the key of a table `org-mfa-watch-findings` retained by an earlier `cdk destroy`: that
   * table and key are used as they are (their encryption, deletion protection, point-in-time recovery,
   * TTL and TLS-only policy were retained with them) and no table is created, so a redeploy does not
   * fail on the table's fixed name. The other resources are encrypted with `key` (ADR 0019).
   * @default a new table, encrypted with `key`
   */
  readonly retainedTableKeyArn?: string;
}

/**
 * Actions the finding store and the idempotency layer use: item reads and conditional writes, and a
 * Query of one account. No Scan (only the operator's CLI lists every account), no table management.
 */
const STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

/**
 * What DynamoDB asks KMS on the caller's behalf for items under a customer-managed key: the set CDK's
 * `grantReadWriteData` uses, with its wildcards spelled out for a symmetric key (no key pairs). Granted
 * only through DynamoDB (`kms:ViaService`): the key also encrypts the topics and the sweep bucket.
 */
const KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/**
 * The finding store's table `org-mfa-watch-findings` (docs/adr/0009-finding-store-keys.md): one item per
 * finding, keyed `pk` = account id and `sk` = `<kind>#<subject>`, plus the checker's idempotency
 * records. On-demand, point-in-time recovery, deletion protection, retained when the stack is deleted,
 * encrypted with the central customer-managed key (retained too), TLS-only, TTL on resolved findings.
 */
export class FindingTable extends Construct {
  /** The table `org-mfa-watch-findings`. */
  readonly table: dynamodb.ITableV2;
  /** Customer-managed key of the table: the central key, or the retained table's key. */
  readonly key: kms.IKey;
  /** Days a resolved finding is kept. */
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: FindingTableProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 90;
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
      throw new Error(
        `FindingTable: retentionDays must be a whole number of days from 1 to 3650 (got ${retentionDays})`,
      );
    }
    this.retentionDays = retentionDays;
    if (props.retainedTableKeyArn !== undefined) {
      this.key = kms.Key.fromKeyArn(this, 'Key', props.retainedTableKeyArn);
      this.table = dynamodb.TableV2.fromTableAttributes(this, 'Table', {
        tableName: NAMES.findingsTable,
        encryptionKey: this.key,
      });
      return;
    }

    // A customer-managed key rather than an AWS-owned or AWS-managed one: the key policy (not only IAM)
    // decides who can read findings, every use is in CloudTrail under our key, and the key can be
    // disabled to cut all access at once. DynamoDB caches data keys, so few requests. The key is retained
    // like the table (CentralKey): deleting it would make the retained table unreadable.
    this.key = props.key;

    const stack = Stack.of(this);
    const tableArn = stack.formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: NAMES.findingsTable,
    });
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: NAMES.findingsTable,
      partitionKey: { name: FINDING_KEY.partition, type: dynamodb.AttributeType.STRING },
      sortKey: { name: FINDING_KEY.sort, type: dynamodb.AttributeType.STRING },
      // A few writes per IAM event and a daily sweep: on-demand costs cents, provisioned would idle.
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      timeToLiveAttribute: FINDING_TTL_ATTRIBUTE,
      // The table ARN is built from its fixed name: a policy cannot reference the resource it is on.
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'DenyRequestsWithoutTls',
            effect: iam.Effect.DENY,
            principals: [new iam.StarPrincipal()],
            actions: ['dynamodb:*'],
            resources: [tableArn, `${tableArn}/index/*`],
            conditions: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      }),
    });
  }

  /**
   * Let a function use the finding store and idempotency on this table: item reads and writes, a
   * Query of one account, and the key for them. Nothing else (no Scan, no table management).
   */
  grantStoreAccess(grantee: iam.IGrantable): iam.Grant {
    const grant = this.table.grant(grantee, ...STORE_ACTIONS);
    grantKeyVia(this.key, grantee, 'dynamodb', KEY_ACTIONS);
    return grant;
  }

  /** Environment variables a function needs to use the store (names from the shared contract). */
  functionEnvironment(): Record<string, string> {
    return {
      [FINDINGS_ENV.tableName]: this.table.tableName,
      [FINDINGS_ENV.resolvedRetentionDays]: String(this.retentionDays),
    };
  }
}

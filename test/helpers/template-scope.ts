import { App } from 'aws-cdk-lib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../bin/app';
import type { AppConfig } from '../../stacks/config';
import { STACK_IDS } from '../../stacks/names';
import { resolveIntrinsics, type PolicyDocument, type TemplateScope } from './policy-simulation';
import { testAppProps } from './app';

type Json = Record<string, unknown>;
/** One resource of a CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Json;
}

/** The templates AWS evaluates policies from, synthesized without bundling (the esbuild step is skipped). */
export interface PolicyTemplates {
  readonly central: Json;
  readonly management: Json;
  /** The StackSet member template (its own file in the assembly). */
  readonly member: Json;
  /** The rollout stack (the StackSet and the rollout reader role), in the account that administers it. */
  readonly rollout: Json;
}

/** Synthesize the app for `config` without running esbuild (`aws:cdk:bundling-stacks: []`). */
export function synthTemplates(config: AppConfig): PolicyTemplates {
  const app = new App(testAppProps());
  buildApp(app, config);
  const dir = app.synth().directory;
  const read = (file: string): Json => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
  const memberFile = readdirSync(dir).find((f) => f.endsWith('.stackset.template.json'));
  if (memberFile === undefined) throw new Error('no StackSet member template in the assembly');
  return {
    central: read(`${STACK_IDS.central}.template.json`),
    management: read(`${STACK_IDS.managementMember}.template.json`),
    member: read(memberFile),
    rollout: read(`${STACK_IDS.rollout}.template.json`),
  };
}

/** The resources of a template, by logical id. */
export function resourcesOf(template: Json): Record<string, CfnResource> {
  return template.Resources as Record<string, CfnResource>;
}

/**
 * Concrete values for every `Ref` and `Fn::GetAtt` the policies of `template` use, as CloudFormation
 * would return them once deployed in `account`/`region` (names from the template where it sets them,
 * otherwise the logical id), so that policies and function environments resolve to real-looking ARNs.
 */
export function scopeOf(template: Json, account: string, region: string, partition = 'aws'): TemplateScope {
  const values: Record<string, string> = {};
  const arn = (service: string, resource: string, inRegion = region, inAccount = account): string =>
    `arn:${partition}:${service}:${inRegion}:${inAccount}:${resource}`;
  for (const [id, r] of Object.entries(resourcesOf(template))) {
    const p = r.Properties ?? {};
    const name = (key: string): string => (typeof p[key] === 'string' ? p[key] : id);
    switch (r.Type) {
      case 'AWS::SNS::Topic':
        values[id] = arn('sns', name('TopicName'));
        values[`${id}.TopicArn`] = values[id];
        values[`${id}.TopicName`] = name('TopicName');
        break;
      case 'AWS::KMS::Key':
        values[id] = id;
        values[`${id}.Arn`] = arn('kms', `key/${id}`);
        break;
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        values[id] = name('TableName');
        values[`${id}.Arn`] = arn('dynamodb', `table/${name('TableName')}`);
        break;
      case 'AWS::SQS::Queue':
        values[id] = `https://sqs.${region}.amazonaws.com/${account}/${name('QueueName')}`;
        values[`${id}.Arn`] = arn('sqs', name('QueueName'));
        values[`${id}.QueueName`] = name('QueueName');
        break;
      case 'AWS::S3::Bucket':
        values[id] = name('BucketName').toLowerCase();
        values[`${id}.Arn`] = `arn:${partition}:s3:::${values[id]}`;
        break;
      case 'AWS::IAM::Role':
        values[id] = name('RoleName');
        values[`${id}.Arn`] = `arn:${partition}:iam::${account}:role/${name('RoleName')}`;
        break;
      case 'AWS::Lambda::Function':
        values[id] = name('FunctionName');
        values[`${id}.Arn`] = arn('lambda', `function:${name('FunctionName')}`);
        break;
      case 'AWS::Events::EventBus':
        values[id] = name('Name');
        values[`${id}.Arn`] = arn('events', `event-bus/${name('Name')}`);
        values[`${id}.Name`] = name('Name');
        break;
      case 'AWS::Events::Rule':
        values[id] = name('Name');
        values[`${id}.Arn`] = arn('events', `rule/${name('Name')}`);
        break;
      case 'AWS::StepFunctions::StateMachine':
        values[id] = arn('states', `stateMachine:${name('StateMachineName')}`);
        break;
      case 'AWS::Logs::LogGroup':
        values[`${id}.Arn`] = arn('logs', `log-group:${name('LogGroupName')}:*`);
        break;
      case 'AWS::Scheduler::ScheduleGroup':
        values[id] = name('Name');
        values[`${id}.Arn`] = arn('scheduler', `schedule-group/${name('Name')}`);
        break;
      default:
        break;
    }
  }
  return { partition, account, region, resources: values };
}

/** The resource of `template` whose `Ref` or `Fn::GetAtt` resolves to `value` in `scope`, if any. */
export function logicalIdFor(scope: TemplateScope, value: string): string | undefined {
  const entry = Object.entries(scope.resources ?? {}).find(([, v]) => v === value);
  return entry?.[0].split('.')[0];
}

/** Resolve a policy-shaped value of `template` in `scope`. */
export function resolvedPolicy(value: unknown, scope: TemplateScope): PolicyDocument {
  return resolveIntrinsics(value, scope) as PolicyDocument;
}

/**
 * The resource policy AWS evaluates for `logicalId`: a topic's, queue's or bucket's separate policy
 * resource, a table's inline `ResourcePolicy`, or a key's `KeyPolicy`. Undefined when it has none.
 */
export function resourcePolicyOf(
  template: Json,
  scope: TemplateScope,
  logicalId: string,
): PolicyDocument | undefined {
  const resources = resourcesOf(template);
  const self = resources[logicalId];
  if (self?.Type === 'AWS::KMS::Key') return resolvedPolicy(self.Properties?.KeyPolicy, scope);
  if (self?.Type === 'AWS::DynamoDB::GlobalTable') {
    const replicas = (self.Properties?.Replicas ?? []) as { ResourcePolicy?: { PolicyDocument: unknown } }[];
    const policy = replicas.find((r) => r.ResourcePolicy)?.ResourcePolicy?.PolicyDocument;
    return policy === undefined ? undefined : resolvedPolicy(policy, scope);
  }
  const holders: Record<string, string> = {
    'AWS::SNS::TopicPolicy': 'Topics',
    'AWS::SQS::QueuePolicy': 'Queues',
    'AWS::S3::BucketPolicy': 'Bucket',
  };
  const ref = JSON.stringify({ Ref: logicalId });
  for (const r of Object.values(resources)) {
    const key = holders[r.Type];
    if (key === undefined) continue;
    const target = r.Properties?.[key];
    const refs = Array.isArray(target) ? target.map((t) => JSON.stringify(t)) : [JSON.stringify(target)];
    if (refs.includes(ref)) return resolvedPolicy(r.Properties?.PolicyDocument, scope);
  }
  return undefined;
}

/** The KMS key (logical id) that encrypts a topic, bucket or table of `template`, if any. */
export function encryptionKeyOf(template: Json, logicalId: string): string | undefined {
  const p = resourcesOf(template)[logicalId]?.Properties ?? {};
  const candidates: unknown[] = [
    p.KmsMasterKeyId,
    (p.SSESpecification as Json | undefined)?.KMSMasterKeyId,
    ...((p.Replicas ?? []) as Json[]).map((r) => (r.SSESpecification as Json | undefined)?.KMSMasterKeyId),
    ...(((p.BucketEncryption as Json | undefined)?.ServerSideEncryptionConfiguration ?? []) as Json[]).map(
      (c) => (c.ServerSideEncryptionByDefault as Json | undefined)?.KMSMasterKeyID,
    ),
  ];
  for (const c of candidates) {
    const getAtt = (c as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    if (getAtt) return getAtt[0];
  }
  return undefined;
}

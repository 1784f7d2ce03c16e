import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { partitionOf, readRawConfig, whoAmI } from '../../scripts/doctor/cli';

const sts = new STSClient({});
const stsMock = mockClient(sts);
beforeEach(() => {
  stsMock.reset();
});

describe('doctor CLI helpers', () => {
  it('reads --config from the given file', () => {
    const read = (path: string) => (path === 'my.json' ? '{"organizationId":"o-x"}' : '{}');
    expect(readRawConfig(['--config', 'my.json'], read)).toEqual({ organizationId: 'o-x' });
  });

  it('defaults to the orgMfaWatch context of cdk.json', () => {
    const read = (path: string) => (path === 'cdk.json' ? '{"context":{"orgMfaWatch":{"a":1}}}' : '');
    expect(readRawConfig([], read)).toEqual({ a: 1 });
  });

  it('rejects --config without a path', () => {
    expect(() => readRawConfig(['--config'], () => '{}')).toThrow('--config needs a path');
  });

  it.each([
    ['arn:aws:iam::111111111111:user/op', 'aws'],
    ['arn:aws-us-gov:sts::111111111111:assumed-role/r/s', 'aws-us-gov'],
  ])('takes the partition from %s', (arn, partition) => {
    expect(partitionOf(arn)).toBe(partition);
  });

  it('returns the caller account and partition', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111111111111', Arn: 'arn:aws-cn:iam::111111111111:user/op' });
    expect(await whoAmI(sts)).toEqual({ accountId: '111111111111', partition: 'aws-cn' });
  });

  it('turns missing credentials into a FAIL row instead of throwing', async () => {
    stsMock.on(GetCallerIdentityCommand).rejects(new Error('Could not load credentials from any providers'));
    expect(await whoAmI(sts)).toMatchObject({ check: 'credentials', status: 'FAIL' });
  });
});

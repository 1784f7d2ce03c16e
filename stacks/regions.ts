/**
 * The AWS Regions known to this version of org-mfa-watch, per partition, so that a region name that
 * only looks right (`ap-northeast-22`) fails synth instead of a deployment.
 *
 * Source: AWS General Reference, "AWS Regions" (https://docs.aws.amazon.com/general/latest/gr/rande.html
 * and https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html), as recorded in
 * the region facts of aws-cdk-lib 2.276.0 (`RegionInfo.regions`); test/stacks/config-rules.test.ts fails
 * when the two lists differ, so upgrading aws-cdk-lib tells you when AWS has opened a region.
 */
export const KNOWN_REGIONS = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** A partition of {@link KNOWN_REGIONS}. */
export type Partition = keyof typeof KNOWN_REGIONS;

/** The partition whose known regions include `region`, or undefined for a region nobody knows. Pure. */
export function knownRegionPartition(region: string): Partition | undefined {
  return (Object.keys(KNOWN_REGIONS) as Partition[]).find((partition) =>
    (KNOWN_REGIONS[partition] as readonly string[]).includes(region),
  );
}

/**
 * Why `region` cannot be the home region, or undefined when it can: it must be a known region of the
 * `aws` partition, because the member resources live in us-east-1 (partition aws) and forward to the
 * central bus (EventBridge cannot deliver across partitions, and an IAM role of one partition cannot
 * assume into another). Pure.
 */
export function homeRegionProblem(region: string): string | undefined {
  const partition = knownRegionPartition(region);
  if (partition === 'aws') return undefined;
  if (partition !== undefined) {
    return `"${region}" is in partition ${partition}, but the member resources live in us-east-1 (partition aws); choose a region of the aws partition`;
  }
  return `"${region}" is not a known AWS region; expected one of the ${KNOWN_REGIONS.aws.length} regions of the aws partition, such as "us-east-1" or "eu-central-1" (stacks/regions.ts lists them; a region AWS opened after this release is added there)`;
}

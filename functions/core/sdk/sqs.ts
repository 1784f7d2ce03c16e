// The SQS client and the command the checker's quarantine sends, for `await import(...)` on first use
// (only an invalid event needs them). esbuild keeps only these names of '@aws-sdk/client-sqs'.
export { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

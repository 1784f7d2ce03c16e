// The Security Hub client and the one command the export sends, for `await import(...)` on first use:
// only deployments with the export on load it. A dynamic import of '@aws-sdk/client-securityhub' itself
// would bundle every command and shape of the service (about 290 kB); esbuild keeps only these names.
export { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';

// The Scheduler client and the commands of the checker's one-time re-checks, for `await import(...)` on
// first use (only the grace-period paths need them). esbuild keeps only these names of the package.
export {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';

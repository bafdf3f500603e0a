/**
 * The fault suites use the end-to-end harness of test/bot as it is; this module only names it for them.
 */
export { startHarness as startFaultHarness, type Harness as FaultHarness, type HarnessOptions as FaultHarnessOptions } from '../bot/harness.ts';
export { lastNotesFile, summaries } from '../bot/steps.ts';

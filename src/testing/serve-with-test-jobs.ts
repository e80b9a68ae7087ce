// `armtrace …` with the queue's test jobs (src/testing/jobs.ts) added to the queue `serve` starts: a child
// process the kill test (src/jobs/survives-kill.test.ts) can SIGKILL in the middle of a job. Tests only.
import { runCli } from '../cli/main.js';
import { registerTestJobs } from './jobs.js';

const code = await runCli(process.argv.slice(2), { registerJobs: registerTestJobs });
// `serve` keeps running until a signal; any other command ends with its code.
if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;

/**
 * Run by the benchmark in a process of its own (compiled, like the bare bot): what the first use of Intl
 * costs in resident memory, in a process that has loaded discord.js as both bots have. Any Intl
 * constructor, and even `toLocaleString`, first has V8 build its list of the locales ICU has data for,
 * which pages in ICU data spread across the node binary; then the formatter loads the data of its own
 * locale and time zone. Scribe pays both as soon as it schedules a meeting (node-cron formats the time
 * in the series' zone) and the bare bot never does. Prints one JSON line of VmRSS readings in KiB.
 */
// The resident set size as /proc/self/status's VmRSS gives it, in KiB.
const residentKiB = (): number => Math.round(process.memoryUsage.rss() / 1024);

await import('discord.js');
const base = residentKiB();
Intl.DateTimeFormat.supportedLocalesOf(['en-US']);
const localeList = residentKiB();
const { default: nodeCron } = await import('node-cron');
// Scribe's job shape: a weekly time in a series' zone; scheduling computes the next run, in that zone.
const task = nodeCron.schedule('0 9 * * 6', () => undefined, { timezone: process.argv[2] ?? 'Europe/Berlin' });
task.getNextRun();
const cronJob = residentKiB();
await task.destroy();
process.stdout.write(`${JSON.stringify({ base, localeList, cronJob })}\n`);

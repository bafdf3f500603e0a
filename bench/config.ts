/**
 * `npm run bench:config`: loading and validating a generated configuration of 10,000 series (distinct
 * guild and channel ids, shared values as YAML anchors), through loadConfig as start-up does. Median of
 * five runs, wall-clock and CPU time (on a shared machine the CPU time is the steadier of the two), and
 * the load average, so that a slow figure can be told from a busy machine. Target: under 2 s.
 */
import { loadavg } from 'node:os';
import { generatedConfig } from './config-generate.ts';
import { loadConfig } from '../src/config-load.ts';
import { readYaml } from '../src/config-yaml.ts';
import { configFileSchema } from '../src/config.ts';

const SERIES = Number(process.env.BENCH_CONFIG_SERIES ?? 10_000);
const RUNS = 5;
const text = generatedConfig(SERIES);
const env = { DISCORD_TOKEN: 'bench-token', SCRIBE_CONFIG: 'generated.yaml' };

interface Cost {
  wallMs: number;
  cpuMs: number;
}

function measure(run: () => void): Cost {
  const cpu = process.cpuUsage();
  const start = performance.now();
  run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const summary = (costs: Cost[]) =>
  `${(median(costs.map((c) => c.wallMs)) / 1000).toFixed(2)} s wall, ${(median(costs.map((c) => c.cpuMs)) / 1000).toFixed(2)} s CPU`;

// One untimed run: module loading and the first compilation of the parser are not the file's cost.
const loaded = loadConfig({ env, readFile: () => text });
if (loaded.series.length !== SERIES) throw new Error(`loaded ${loaded.series.length} series, expected ${SERIES}`);

const whole: Cost[] = [];
const yaml: Cost[] = [];
const validation: Cost[] = [];
for (let i = 0; i < RUNS; i++) {
  whole.push(measure(() => loadConfig({ env, readFile: () => text })));
  let document: unknown;
  yaml.push(measure(() => (document = readYaml(text))));
  validation.push(measure(() => configFileSchema.parse(document)));
}

process.stdout.write(
  `config: ${SERIES.toLocaleString('en-US')} series, ${(text.length / 1024 / 1024).toFixed(1)} MiB of YAML, median of ${RUNS} runs` +
    ` (load average ${loadavg()[0]?.toFixed(1)} on this machine)\n` +
    `  load and validate  ${summary(whole)}\n` +
    `    YAML (parse, aliases)  ${summary(yaml)}\n` +
    `    validation (zod)       ${summary(validation)}\n`,
);

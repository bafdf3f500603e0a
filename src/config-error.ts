/** The one error of a configuration or environment that cannot work: every problem, each on its own line. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], heading = 'Scribe cannot start: the configuration has problems') {
    super(`${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

import fc from 'fast-check';

// Property tests are repeatable: the same inputs on every run, so a run's answer does not depend on
// chance. FC_SEED=<number> explores other inputs (a failure prints the seed and path to replay it).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261207) });

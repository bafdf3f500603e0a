/**
 * Why this exists: Scribe does about three times the bare bot's work per form (the store, the "Saved"
 * edit), so in a burst (1,000 forms within a second) that work held up the acknowledgements of forms
 * still arriving (p99 140 ms, the bare bot's 11). Work waits here until interactions have stopped
 * arriving for a moment (at most MAX_HOLD_MS), then goes one piece per turn of the event loop, so an
 * interaction that arrives meanwhile is acknowledged first.
 */
const QUIET_MS = 5;
const MAX_HOLD_MS = 1_500;

const waiting: { readonly since: number; readonly resolve: () => void }[] = [];
let lastArrival = Number.NEGATIVE_INFINITY;
let scheduled = false;

/** The router calls this for every interaction, as it arrives. */
export function interactionArrived(): void {
  lastArrival = performance.now();
}

/** Resolves when this piece of work may run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push({ since: performance.now(), resolve });
    schedule(0);
  });
}

function schedule(ms: number): void {
  if (scheduled) return;
  scheduled = true;
  const run = (): void => {
    scheduled = false;
    release();
  };
  if (ms > 0) setTimeout(run, ms);
  else setImmediate(run);
}

function release(): void {
  const next = waiting[0];
  if (!next) return;
  const now = performance.now();
  const quietFor = now - lastArrival;
  if (quietFor < QUIET_MS && now - next.since < MAX_HOLD_MS) {
    schedule(QUIET_MS - quietFor);
    return;
  }
  waiting.shift();
  next.resolve();
  if (waiting.length > 0) schedule(0);
}

import { build } from '../scripts/build.mjs';

/** Tests that run Scribe as a process start `bin/scribe.mjs`, which runs dist/: built once here. */
export default function setup(): void {
  build();
}

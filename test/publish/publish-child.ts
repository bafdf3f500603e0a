/**
 * One publish in a process of its own, so that a test can kill it with SIGKILL at a chosen point.
 * argv: remote, working clone dir, request as JSON. Prints the result as JSON on success.
 */
import { createGitPublisher } from '../../src/publish/git.ts';
import type { PublishRequest } from '../../src/publish/publisher.ts';

const [remote, dir, json] = process.argv.slice(2);
if (remote === undefined || dir === undefined || json === undefined) throw new Error('usage: publish-child.ts REMOTE DIR REQUEST_JSON');
// The pre-push hook a test installs kills this pid: git has committed and not pushed yet.
process.env.SCRIBE_TEST_PID = String(process.pid);
const result = await createGitPublisher({ remote, dir }).publish(JSON.parse(json) as PublishRequest);
process.stdout.write(`${JSON.stringify(result)}\n`);

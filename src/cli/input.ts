import { readFile } from 'node:fs/promises';

/** The file's text, or `-` for standard input. */
export async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The one input file of `scribe <command> FILE`: its name and text, or the exit code after the usage
 * or the reason was printed (`--help`: 0; a wrong call or an unreadable file: 2).
 */
export async function oneInput(command: string, args: readonly string[], usage: string, what: string): Promise<{ file: string; text: string } | number> {
  const [file, ...rest] = args;
  if (file === '--help' || file === '-h') {
    process.stdout.write(usage);
    return 0;
  }
  if (file === undefined || rest.length > 0) {
    process.stderr.write(`scribe ${command}: give exactly one ${what}\n${usage}`);
    return 2;
  }
  try {
    return { file, text: await readInput(file) };
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    process.stderr.write(`scribe ${command}: cannot read ${file}: ${reason}\n`);
    return 2;
  }
}

export async function run(_args: string[]): Promise<number> {
  process.stderr.write('scribe check: not built yet\n');
  return 1;
}

export async function run(_args: string[]): Promise<number> {
  process.stderr.write('scribe render: not built yet\n');
  return 1;
}

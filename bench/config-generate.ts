/**
 * A configuration as a hosting operator generates it: one series per community, each in a guild and
 * channels of its own (distinct ids), the values every series shares written once, as YAML anchors in the
 * first series, and reused by alias (`teams: *common`, …) in the others. For `npm run bench:config` and the tests of large files.
 */

/** A 17-to-19-digit id, distinct for each (series, kind). */
const id = (series: number, kind: number) => String(100000000000000000n + BigInt(series) * 10n + BigInt(kind));

export function generatedConfig(seriesCount: number): string {
  const lines = ['# Generated: one series per community; the first names the shared values, the others reuse them.', 'series:'];
  for (let i = 0; i < seriesCount; i++) {
    const first = i === 0;
    lines.push(
      `  - id: community${i}`,
      `    guild: "${id(i, 1)}"`,
      `    voiceChannel: "${id(i, 2)}"`,
      `    textChannel: "${id(i, 3)}"`,
      first ? '    timeZone: &zone Europe/Berlin' : '    timeZone: *zone',
      `    open: "${i % 60} ${9 + (i % 8)} * * ${i % 7}"`,
      '    durationMinutes: 60',
      `    threadName: "Community ${i} {yyyy}-{mm}-{dd}"`,
      first ? '    teams: &common [community, maintainers]' : '    teams: *common',
      first ? '    location: &location "Online, Discord, the `#{voiceChannelName}` voice channel"' : '    location: *location',
      `    maintainerRoles: ["${id(i, 4)}"]`,
      `    notesPath: "community${i}/{yyyy}/{yyyy}-{mm}-{dd}.md"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

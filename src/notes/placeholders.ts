/** Placeholders left from the notes template (`TO FILL`, `TODO`, a `Name` or `Participant1`), for both layouts' checks. */

export function isPlaceholderName(name: string): boolean {
  return /^(?:Name|TODO|TO FILL|Participant\d*)$/i.test(name.trim());
}

export function isPlaceholderText(text: string): boolean {
  return /^(?:TODO|TO FILL)(?![\p{L}\p{N}])/u.test(text.trim());
}

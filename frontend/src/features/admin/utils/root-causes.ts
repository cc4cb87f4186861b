/** Root causes typed one per line as `CODE 名稱` (the first space separates code and name). */
export function parseRootCauses(text: string): { code: string; name: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const space = line.search(/\s/);
      return space < 0 ? { code: line, name: line } : { code: line.slice(0, space), name: line.slice(space).trim() };
    });
}

export function formatRootCauses(causes: { code: string; name: string; retired?: boolean }[]): string {
  return causes
    .filter((cause) => !cause.retired)
    .map((cause) => `${cause.code} ${cause.name}`)
    .join('\n');
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `250ms`, `0s`, `2m`, `1h`, `5d` → milliseconds; null for anything else (no bare numbers: the unit is always said). */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

/** `0s,2m,10m` → [0, 120000, 600000]; null if any item is malformed or the list is empty. */
export function parseDurationList(text: string): number[] | null {
  const items = text.split(',').map(parseDuration);
  return items.length > 0 && items.every((n): n is number => n !== null) ? items : null;
}

/** Readable, unique ids for new rows: `dev-14`, `site-north-gate`. */

/** The next `${prefix}-N` not in `taken`, N one past the largest used. */
export function nextId(prefix: string, taken: Iterable<string>): string {
  let max = 0;
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  for (const id of taken) {
    const m = pattern.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `${prefix}-${max + 1}`;
}

/** An id from a name (`North Gate` -> `site-north-gate`), suffixed when taken. */
export function idFromName(prefix: string, name: string, taken: ReadonlySet<string>): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const base = slug ? `${prefix}-${slug}` : nextId(prefix, taken);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

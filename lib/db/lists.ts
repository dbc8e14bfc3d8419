// Lists and the sources they are read from.
import type { Db } from "./client";

export const LIST_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Top-level URL segments the app uses itself: no list may take them. */
export const RESERVED_LIST_NAMES = new Set(["api", "_next", "people", "search", "stats", "help", "static", "series", "versions", "interdiff", "proposals", "ideas", "decisions", "benchmarks", "code", "runs", "login", "logout", "settings", "favicon.ico", "robots.txt"]);

export function validListName(name: string): boolean {
  return LIST_NAME.test(name) && !RESERVED_LIST_NAMES.has(name);
}

/** A usable list slug from any hint (a path, a List-Id): lower-case, [a-z0-9._-]. */
export function slugifyListName(hint: string): string {
  const s = hint.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-._]+|[-._]+$/g, "").slice(0, 64);
  return s && !RESERVED_LIST_NAMES.has(s) ? s : `${s || "inbox"}-list`.replace(/^-/, "");
}

export async function ensureList(db: Db, name: string): Promise<{ id: number; name: string; listId: string | null }> {
  if (!validListName(name)) throw new Error(`invalid list name ${JSON.stringify(name)}: use lower-case letters, digits, '.', '_' and '-'`);
  const { rows } = await db.pool.query(
    `INSERT INTO list (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id, name, list_id`,
    [name],
  );
  return { id: rows[0].id, name: rows[0].name, listId: rows[0].list_id };
}

export async function ensureSource(db: Db, kind: string, location: string, listId: number): Promise<{ id: number; state: Record<string, string> }> {
  const { rows } = await db.pool.query(
    `INSERT INTO source (kind, location, list_id) VALUES ($1, $2, $3)
     ON CONFLICT (kind, location, list_id) DO UPDATE SET kind = excluded.kind RETURNING id, state`,
    [kind, location, listId],
  );
  return { id: rows[0].id, state: rows[0].state ?? {} };
}

/** Records the list's List-Id the first time a message tells it. */
export async function noteListId(db: Db, listId: number, header: string): Promise<void> {
  await db.pool.query(`UPDATE list SET list_id = $2 WHERE id = $1 AND list_id IS NULL`, [listId, header]);
}

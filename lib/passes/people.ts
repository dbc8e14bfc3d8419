// People: the identity pass (person.canonical_id: several addresses, one person). Manual merges
// are written by lib/db/curation.ts (recordPersonMerge); the person page reads lib/views/people.ts.
//
// The pass (derivePeople) runs after every ingest (lib/passes/index.ts runPasses) and recomputes every
// automatic merge from the rules in lib/people (so a rule change applies on the next run), plus
// the manual merges, which are kept as audit_log rows (action person.merge) and so survive it.
// The method of each merge is not stored in person (no column for it): it is recomputed by the
// same rules when a person is read (lib/views/people.ts getPersonProfile -> addresses[].method), which gives the same
// answer the pass acted on. Page-recovered messages whose sender the archive masked ("Jane Doe
// <jane@xxxxxxx>", X-Patchlore-Obfuscated-From) or wrote obfuscated ("jane at example dot org")
// get their message.from_id when exactly one known address fits; how is kept in
// message.facts.sender {method, confidence, evidence}.
import type { Db } from "../db/client";
import {
  deobfuscateAddress,
  groupIdentities,
  maskedMatches,
  normalizeAddress,
  normalizeName,
  parseMaskedAddress,
  type IdentityInput,
  type ManualMerge,
  type MergeReason,
} from "../people";

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export interface PeoplePassResult {
  people: number;
  /** addresses that point at another (canonical) one */
  merged: number;
  /** people with more than one address */
  groups: number;
  changed: number;
  /** page-recovered messages whose masked or obfuscated sender was resolved to an address */
  sendersResolved: number;
}

export async function manualMerges(db: Db): Promise<ManualMerge[]> {
  const { rows } = await db.pool.query(
    `SELECT after FROM audit_log WHERE action = 'person.merge' AND target_kind = 'person' ORDER BY created_at, id`,
  );
  return rows
    .map((r) => r.after as { into?: string; address?: string })
    .filter((a) => a && typeof a.into === "string" && typeof a.address === "string")
    .map((a) => ({ into: a.into!, address: a.address! }));
}

async function identities(db: Db, where = "", params: unknown[] = []): Promise<IdentityInput[]> {
  const { rows } = await db.pool.query(
    `SELECT p.id, p.address, p.names, s.messages, s.sender_names, s.first_sent, s.last_sent
     FROM person p
     CROSS JOIN LATERAL (SELECT count(*) AS messages, COALESCE(array_agg(DISTINCT m.from_name) FILTER (WHERE m.from_name <> ''), '{}') AS sender_names,
                                min(m.date) FILTER (WHERE NOT m.ghost) AS first_sent, max(m.date) FILTER (WHERE NOT m.ghost) AS last_sent
                         FROM message m WHERE m.from_id = p.id) s
     ${where} ORDER BY p.id`,
    params,
  );
  return rows.map((r) => ({
    id: r.id, address: r.address, names: r.names, senderNames: r.sender_names, messages: Number(r.messages), firstSent: iso(r.first_sent), lastSent: iso(r.last_sent),
  }));
}

/** A message without a sender address not yet resolved (or whose facts were rewritten by a reindex since). */
const UNRESOLVED = `NOT m.ghost AND m.from_address = '' AND (m.from_id IS NULL OR m.facts->'sender' IS NULL)`;

/** The sender of page-recovered messages with no usable address, resolved to a known person when exactly one fits. */
async function resolveMaskedSenders(db: Db): Promise<number> {
  const { rows } = await db.pool.query(
    `SELECT m.id, m.from_name, substring(convert_from(substring(r.raw from 1 for 16384), 'UTF8') from '(?im)^X-Patchlore-Obfuscated-From:[ \\t]*([^\\r\\n]+)') AS masked
     FROM message m JOIN raw_message r ON r.message_id = m.id
     WHERE ${UNRESOLVED} AND (m.from_name <> '' OR m.recovery LIKE 'page:%')`,
  ).catch(async () =>
    // raw bytes that are not UTF-8 (convert_from fails): look at the name only
    db.pool.query(`SELECT m.id, m.from_name, NULL AS masked FROM message m WHERE ${UNRESOLVED} AND m.from_name <> ''`),
  );
  if (!rows.length) return 0;
  const people = await identities(db);
  const byAddress = new Map(people.map((p) => [normalizeAddress(p.address), p]));
  const byName = new Map<string, IdentityInput[]>();
  for (const p of people) {
    for (const n of new Set(p.names.map(normalizeName).filter(Boolean))) byName.set(n, [...(byName.get(n) ?? []), p]);
  }
  const updates: { id: number; person: number; sender: { method: string; confidence: number; evidence: string } }[] = [];
  for (const m of rows) {
    const name = normalizeName(m.from_name ?? "");
    // "jane at example dot org" as the whole From
    const spelled = deobfuscateAddress(m.from_name ?? "");
    if (spelled && byAddress.has(spelled)) {
      updates.push({ id: m.id, person: byAddress.get(spelled)!.id, sender: { method: "deobfuscated", confidence: 0.99, evidence: `"${m.from_name}" spells ${spelled}` } });
      continue;
    }
    const mask = m.masked ? parseMaskedAddress(m.masked.trim()) : null;
    if (mask) {
      const fits = people.filter((p) => maskedMatches(mask, p.address) && !parseMaskedAddress(p.address));
      const named = name ? fits.filter((p) => p.names.some((n) => normalizeName(n) === name)) : [];
      const pick = named.length === 1 ? named[0] : fits.length === 1 && (!name || named.length === 1) ? fits[0] : null;
      if (pick) {
        updates.push({
          id: m.id,
          person: pick.id,
          sender: { method: "obfuscated-partial", confidence: named.length === 1 ? 0.9 : 0.75, evidence: `${m.masked.trim()} fits ${pick.address}${named.length === 1 ? ` (named "${name}")` : ""}` },
        });
      }
      continue;
    }
    // no address at all (mail-archive pages drop them): a full name only one known address carries
    if (name) {
      const same = byName.get(name) ?? [];
      if (same.length === 1) {
        updates.push({ id: m.id, person: same[0].id, sender: { method: "name-only", confidence: 0.7, evidence: `the only address named "${name}" is ${same[0].address}` } });
      }
    }
  }
  if (!updates.length) return 0;
  await db.pool.query(
    `UPDATE message m SET from_id = x.person, facts = COALESCE(m.facts, '{}'::jsonb) || jsonb_build_object('sender', x.sender)
     FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, person int, sender jsonb) WHERE m.id = x.id`,
    [JSON.stringify(updates)],
  );
  return updates.length;
}

/** Recompute person.canonical_id for every address (see the file comment). */
export async function derivePeople(db: Db): Promise<PeoplePassResult> {
  const sendersResolved = await resolveMaskedSenders(db);
  const people = await identities(db);
  const assigned = groupIdentities(people, await manualMerges(db));
  const { rows } = await db.pool.query(
    `UPDATE person p SET canonical_id = x.canonical
     FROM jsonb_to_recordset($1::jsonb) AS x(id int, canonical int)
     WHERE p.id = x.id AND p.canonical_id IS DISTINCT FROM x.canonical RETURNING p.id`,
    [JSON.stringify(assigned.map((a) => ({ id: a.id, canonical: a.canonicalId })))],
  );
  const canon = new Set(assigned.filter((a) => a.canonicalId !== null).map((a) => a.canonicalId));
  return {
    people: people.length,
    merged: assigned.filter((a) => a.canonicalId !== null).length,
    groups: canon.size,
    changed: rows.length,
    sendersResolved,
  };
}

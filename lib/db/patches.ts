// Writes what a message's diff is: the patch, its files and hunks (set-based, one statement per
// table per batch). Hunks keep their line range in the body (provenance) and their lines by kind
// as text, for code search and code history.
import type pg from "pg";
import type { MessageAnalysis } from "../analyze/message";

export interface PatchWrite {
  messageId: number;
  analysis: MessageAnalysis;
  /** the message row existed before (a filled ghost, a reindex): drop its old patch rows first */
  replace: boolean;
}

const clean = (s: string) => (s.includes("\u0000") ? s.replaceAll("\u0000", "") : s);

export async function writePatches(client: pg.PoolClient, writes: PatchWrite[]): Promise<void> {
  const replaced = writes.filter((w) => w.replace).map((w) => w.messageId);
  if (replaced.length) await client.query(`DELETE FROM patch WHERE message_id = ANY($1::bigint[])`, [replaced]);
  const withPatch = writes.filter((w) => w.analysis.patch);
  if (!withPatch.length) return;

  const patches = withPatch.map(({ messageId, analysis: { patch: p, subject: s } }) => ({
    message_id: messageId,
    kind: p!.kind,
    attachment: p!.source.part === "attachment" ? p!.source.index : null,
    title: clean(p!.title || s.title),
    subsystem: s.subsystem,
    version: s.version,
    revision: s.revision,
    counter_index: s.counter?.index ?? null,
    counter_total: s.counter?.total ?? null,
    is_rfc: s.isRfc,
    is_resend: s.isResend,
    prefixes: s.prefixes.map(clean),
    commit_message: clean(p!.commitMessage),
    notes: p!.notes === null ? null : clean(p!.notes),
    patch_id: p!.patchId,
    added: p!.diff!.added,
    removed: p!.diff!.removed,
    files_changed: p!.diff!.files.length,
    diffstat: p!.diffstat,
    mismatches: p!.diffstatMismatches,
    damaged: p!.diff!.damaged.map(clean),
    parts: p!.parts,
  }));
  await client.query(
    `INSERT INTO patch (message_id, kind, attachment, title, subsystem, version, revision, counter_index, counter_total,
       is_rfc, is_resend, prefixes, commit_message, notes, patch_id, added, removed, files_changed, diffstat, mismatches, damaged, parts)
     SELECT x.message_id, x.kind, x.attachment, x.title, x.subsystem, x.version, x.revision, x.counter_index, x.counter_total,
       x.is_rfc, x.is_resend, ARRAY(SELECT json_array_elements_text(x.prefixes)), x.commit_message, x.notes, x.patch_id,
       x.added, x.removed, x.files_changed, x.diffstat, x.mismatches, ARRAY(SELECT json_array_elements_text(x.damaged)), x.parts
     FROM json_to_recordset($1::json) AS x(message_id bigint, kind text, attachment int, title text, subsystem text, version int,
       revision text, counter_index float8, counter_total int, is_rfc boolean, is_resend boolean, prefixes json, commit_message text,
       notes text, patch_id text, added int, removed int, files_changed int, diffstat jsonb, mismatches jsonb, damaged json, parts jsonb)`,
    [JSON.stringify(patches)],
  );

  // file ids come from the sequence up front, so hunks can point at them in the same batch
  const files = withPatch.flatMap(({ messageId, analysis }) => analysis.patch!.diff!.files.map((f, position) => ({ messageId, position, f })));
  if (!files.length) return;
  const { rows: ids } = await client.query(
    `SELECT nextval(pg_get_serial_sequence('patch_file', 'id')) AS id FROM generate_series(1, $1)`,
    [files.length],
  );
  await client.query(
    `INSERT INTO patch_file (id, message_id, position, old_path, new_path, path, status, old_mode, new_mode, similarity,
       old_hash, new_hash, "binary", added, removed, start_line, end_line, damaged)
     SELECT x.id, x.message_id, x.position, x.old_path, x.new_path, x.path, x.status, x.old_mode, x.new_mode, x.similarity,
       x.old_hash, x.new_hash, x."binary", x.added, x.removed, x.start_line, x.end_line, ARRAY(SELECT json_array_elements_text(x.damaged))
     FROM json_to_recordset($1::json) AS x(id bigint, message_id bigint, position int, old_path text, new_path text, path text,
       status text, old_mode text, new_mode text, similarity int, old_hash text, new_hash text, "binary" boolean, added int,
       removed int, start_line int, end_line int, damaged json)`,
    [
      JSON.stringify(
        files.map(({ messageId, position, f }, i) => ({
          id: ids[i].id, message_id: messageId, position,
          old_path: f.oldPath === null ? null : clean(f.oldPath), new_path: f.newPath === null ? null : clean(f.newPath), path: clean(f.path),
          status: f.status, old_mode: f.oldMode, new_mode: f.newMode, similarity: f.similarity, old_hash: f.oldHash, new_hash: f.newHash,
          binary: f.binary, added: f.added, removed: f.removed, start_line: f.startLine, end_line: f.endLine, damaged: f.damaged.map(clean),
        })),
      ),
    ],
  );
  const hunks = files.flatMap(({ f }, i) =>
    f.hunks.map((h, position) => {
      const by = (k: string) => clean(h.lines.filter((l) => l.kind === k).map((l) => l.text).join("\n"));
      return {
        file_id: ids[i].id, position, old_start: h.oldStart, old_lines: h.oldLines, new_start: h.newStart, new_lines: h.newLines,
        heading: clean(h.heading), start_line: h.startLine, end_line: h.endLine, added: h.added, removed: h.removed,
        added_text: by("+"), removed_text: by("-"), context_text: by(" "), damaged: h.damaged === null ? null : clean(h.damaged),
      };
    }),
  );
  if (!hunks.length) return;
  await client.query(
    `INSERT INTO hunk (file_id, position, old_start, old_lines, new_start, new_lines, heading, start_line, end_line, added, removed,
       added_text, removed_text, context_text, damaged)
     SELECT x.file_id, x.position, x.old_start, x.old_lines, x.new_start, x.new_lines, x.heading, x.start_line, x.end_line, x.added,
       x.removed, x.added_text, x.removed_text, x.context_text, x.damaged
     FROM json_to_recordset($1::json) AS x(file_id bigint, position int, old_start int, old_lines int, new_start int, new_lines int,
       heading text, start_line int, end_line int, added int, removed int, added_text text, removed_text text, context_text text, damaged text)`,
    [JSON.stringify(hunks)],
  );
}

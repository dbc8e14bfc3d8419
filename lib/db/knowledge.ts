// Knowledge rows: design ideas, decisions, benchmark figures and robot reports found in each
// message (lib/knowledge, run per message by lib/analyze/message.ts), written with the message in
// the same transaction (storeBatch, reindex). Read back by lib/views/knowledge.ts.
//
// Every row keeps its provenance: the message, the 1-based body lines [first_line, last_line]
// (0 = the Subject header), the rule that found it (method), its confidence and the text matched.
// Links to series, patches and commits are made afterwards, per thread (lib/passes/knowledge-links.ts).
import type pg from "pg";
import type { MessageKnowledge } from "../analyze/message";
import type { Benchmark, Decision, Idea, RobotReport } from "../knowledge";

export interface KnowledgeWrite {
  messageId: number;
  knowledge: MessageKnowledge | undefined;
  /** the message row existed before (a filled ghost, a reindex): its earlier rows are replaced */
  replace: boolean;
}

/** PostgreSQL text and JSON hold neither NUL nor lone surrogates. */
function json(rows: unknown[]): string {
  return JSON.stringify(rows, (_k, v) => {
    if (typeof v === "string") {
      const t = v.includes("\u0000") ? v.replaceAll("\u0000", "") : v;
      return t.isWellFormed() ? t : t.toWellFormed();
    }
    if (typeof v === "number" && !Number.isFinite(v)) return null;
    return v;
  });
}

const clip = (s: string | undefined | null, n = 2000) => (s == null ? null : s.length > n ? s.slice(0, n - 1) + "…" : s);

function ideaRow(messageId: number, i: Idea) {
  return {
    message_id: messageId, kind: i.kind, summary: clip(i.summary, 400)!, quote: clip(i.quote)!,
    first_line: i.lines[0], last_line: i.lines[1], method: i.method, confidence: i.confidence,
    details: { text: clip(i.text, 8000), keywords: i.keywords, ...(i.title ? { title: i.title } : {}) },
  };
}

/** The tree and branch ("mm-unstable", "netdev/net-next.git (main)") or the release a decision names. */
function targetOf(d: Decision): string | null {
  if (d.tree) return d.branch ? `${d.tree} (${d.branch})` : d.tree;
  return d.release ?? null;
}

function decisionRow(messageId: number, d: Decision) {
  return {
    message_id: messageId, kind: d.kind, target: targetOf(d), reason: clip(d.reason ?? null), quote: clip(d.quote)!,
    first_line: d.lines[0], last_line: d.lines[1], method: d.method, confidence: d.confidence,
    details: {
      actor: d.actor, tree: d.tree, branch: d.branch, release: d.release, commit: d.commit, patch: d.patch,
    },
  };
}

function benchmarkRow(messageId: number, b: Benchmark) {
  return {
    message_id: messageId, suite: b.suite, test: b.test ?? null,
    // a prose claim may name no metric ("31% faster"): the column is NOT NULL, "" stands for none
    metric: b.metric ?? "", value: b.value ?? null, unit: b.unit ?? null, change: b.change ?? null, direction: b.direction,
    machine: clip(b.machine ?? null, 500), config: b.config ?? {}, commit: b.commitNew ?? null,
    first_line: b.lines[0], last_line: b.lines[1], method: b.method, confidence: b.confidence, quote: clip(b.quote)!,
    details: {
      role: b.role, statistic: b.statistic, baseline: b.baseline, delta: b.delta, stddev: b.stddev, baselineStddev: b.baselineStddev,
      stddevAbs: b.stddevAbs, variant: b.variant, baselineVariant: b.baselineVariant, significant: b.significant,
      commitBase: b.commitBase, cites: b.cites,
    },
  };
}

function reportRow(messageId: number, r: RobotReport) {
  return {
    message_id: messageId, kind: r.kind, robot: r.robot, commit: r.commit ?? null, suite: r.suite ?? null, metric: r.metric ?? null,
    change: r.change ?? null, direction: r.direction ?? null, method: r.method, confidence: r.confidence,
    details: {
      lines: r.lines, quote: clip(r.quote), commitTitle: r.commitTitle, tree: r.tree, patchMsgid: r.patchMsgid, base: r.base, reportId: r.reportId,
    },
  };
}

/**
 * Writes what lib/knowledge found in these messages: one statement per table for the whole batch.
 * Replacing (a filled ghost, reindex) drops a message's earlier rows first, except ideas and
 * decisions a curator confirmed or rejected: those keep their id and status, take the new text
 * when the same finding (message, kind, first line) is found again, and stay when it is not.
 */
export async function writeKnowledge(client: pg.PoolClient, writes: KnowledgeWrite[]): Promise<void> {
  const replaced = writes.filter((w) => w.replace).map((w) => w.messageId);
  if (replaced.length) {
    await client.query(`DELETE FROM idea WHERE message_id = ANY($1::bigint[]) AND status = 'detected'`, [replaced]);
    await client.query(`DELETE FROM decision WHERE message_id = ANY($1::bigint[]) AND status = 'detected'`, [replaced]);
    await client.query(`DELETE FROM benchmark WHERE message_id = ANY($1::bigint[])`, [replaced]);
    await client.query(`DELETE FROM robot_report WHERE message_id = ANY($1::bigint[])`, [replaced]);
  }
  // one idea per (message, first line, kind): the table's key (the analyzer may find two passages of one kind starting on one line)
  const seen = new Set<string>();
  const ideas = writes
    .flatMap((w) => (w.knowledge?.ideas ?? []).map((i) => ideaRow(w.messageId, i)))
    .filter((r) => {
      const k = `${r.message_id}\u0000${r.first_line}\u0000${r.kind}`;
      return !seen.has(k) && !!seen.add(k);
    });
  const decisions = writes.flatMap((w) => (w.knowledge?.decisions ?? []).map((d) => decisionRow(w.messageId, d)));
  const benchmarks = writes.flatMap((w) => (w.knowledge?.benchmarks ?? []).map((b) => benchmarkRow(w.messageId, b)));
  const reports = writes.flatMap((w) => (w.knowledge?.report ? [reportRow(w.messageId, w.knowledge.report)] : []));

  if (ideas.length) {
    await client.query(
      `INSERT INTO idea (message_id, kind, summary, quote, first_line, last_line, method, confidence, details)
       SELECT x.message_id, x.kind, x.summary, x.quote, x.first_line, x.last_line, x.method, x.confidence, x.details
       FROM json_to_recordset($1::json) AS x(message_id bigint, kind text, summary text, quote text, first_line int, last_line int,
         method text, confidence float8, details jsonb)
       ON CONFLICT (message_id, first_line, kind) DO UPDATE SET summary = excluded.summary, quote = excluded.quote,
         last_line = excluded.last_line, method = excluded.method, confidence = excluded.confidence, details = excluded.details`,
      [json(ideas)],
    );
  }
  if (decisions.length) {
    const rec = `json_to_recordset($1::json) AS x(message_id bigint, kind text, target text, reason text, quote text, first_line int,
         last_line int, method text, confidence float8, details jsonb)`;
    // a curated decision found again keeps its row (id, status) and takes the new text
    if (replaced.length) {
      await client.query(
        `UPDATE decision d SET target = x.target, reason = x.reason, quote = x.quote, last_line = x.last_line, method = x.method,
           confidence = x.confidence, details = x.details || jsonb_strip_nulls(jsonb_build_object('link', d.details->'link'))
         FROM ${rec}
         WHERE d.message_id = x.message_id AND d.kind = x.kind AND d.first_line = x.first_line AND d.status <> 'detected'`,
        [json(decisions)],
      );
    }
    await client.query(
      `INSERT INTO decision (message_id, kind, target, reason, quote, first_line, last_line, method, confidence, details)
       SELECT x.message_id, x.kind, x.target, x.reason, x.quote, x.first_line, x.last_line, x.method, x.confidence, x.details
       FROM ${rec}
       WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.message_id = x.message_id AND d.kind = x.kind AND d.first_line = x.first_line)`,
      [json(decisions)],
    );
  }
  if (benchmarks.length) {
    await client.query(
      `INSERT INTO benchmark (message_id, suite, test, metric, value, unit, change, direction, machine, config, commit,
         first_line, last_line, method, confidence, quote, details)
       SELECT x.message_id, x.suite, x.test, x.metric, x.value, x.unit, x.change, x.direction, x.machine, x.config, x.commit,
         x.first_line, x.last_line, x.method, x.confidence, x.quote, jsonb_strip_nulls(x.details)
       FROM json_to_recordset($1::json) AS x(message_id bigint, suite text, test text, metric text, value float8, unit text,
         change float8, direction text, machine text, config jsonb, commit text, first_line int, last_line int, method text,
         confidence float8, quote text, details jsonb)`,
      [json(benchmarks)],
    );
  }
  if (reports.length) {
    await client.query(
      `INSERT INTO robot_report (message_id, kind, robot, commit, suite, metric, change, direction, method, confidence, details)
       SELECT x.message_id, x.kind, x.robot, x.commit, x.suite, x.metric, x.change, x.direction, x.method, x.confidence, jsonb_strip_nulls(x.details)
       FROM json_to_recordset($1::json) AS x(message_id bigint, kind text, robot text, commit text, suite text, metric text,
         change float8, direction text, method text, confidence float8, details jsonb)
       ON CONFLICT (message_id) DO UPDATE SET kind = excluded.kind, robot = excluded.robot, commit = excluded.commit,
         suite = excluded.suite, metric = excluded.metric, change = excluded.change, direction = excluded.direction,
         method = excluded.method, confidence = excluded.confidence, details = excluded.details`,
      [json(reports)],
    );
  }
}

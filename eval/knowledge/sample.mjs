#!/usr/bin/env node
// Deterministic sampler for the patchlore knowledge evaluation corpus.
// Plain Node (>= 18), no dependencies. See PROTOCOL.md for the written protocol;
// this file is its executable form and the two must agree.
//
// Usage:
//   node eval/knowledge/sample.mjs            # write mail/, sample.json, split.json, batches.json, overlap.json
//   node eval/knowledge/sample.mjs --stats    # print population counts and the maintainer table, write nothing
//   node eval/knowledge/sample.mjs --repo <path-to-linux-mmc-0.git>
//
// Everything is a pure function of: the archive's history up to PINNED_TIP,
// SEED, and the QUOTAS below. Running it twice gives byte-identical output.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const STATS = args.includes('--stats');
const repoArg = args.indexOf('--repo');
const REPO = repoArg >= 0 ? resolve(args[repoArg + 1]) : resolve(HERE, '../../.patchlore/bench/linux-mmc-0.git');

// ---- Frozen parameters (changing any of these changes the corpus) ----
const PINNED_TIP = 'c4c1d55e72070d01a373e3dd207ca9aa7f603a26'; // archive tip when the corpus was drawn (34,670 messages)
const SEED = 'patchlore-knowledge-eval-linux-mmc-v1';
const QUOTAS = {
  reply: 200, // reply to a patch
  patch: 80, // patch n/N with n >= 1, or a single patch
  cover: 40, // cover letter 0/N
  maintainer: 60, // mail (not a patch/cover) from a maintainer
  robot: 40, // kernel test robot report
  other: 20, // everything else
};
const STRATA = Object.keys(QUOTAS);
const MAINTAINER_COUNT = 10;
const MAX_BODY_LINES = 800; // eligibility cap, see PROTOCOL.md
const TEST_FRACTION = 0.4;
const OVERLAP_PER_BATCH = 10;

// ---- Helpers ----
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

function decodeRfc2047(s) {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (m, cs, enc, txt) => {
      try {
        let buf;
        if (enc.toUpperCase() === 'B') buf = Buffer.from(txt, 'base64');
        else
          buf = Buffer.from(
            txt.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
        const c = cs.toLowerCase().split('*')[0];
        return c === 'utf-8' || c === 'utf8' ? buf.toString('utf8') : buf.toString('latin1');
      } catch {
        return m;
      }
    });
}

// Split raw message into header block and body (body = everything after the first empty line).
function splitMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: '' };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

function parseHeaders(head) {
  const out = {};
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    if (!(k in out)) out[k] = line.slice(i + 1).trim(); // first occurrence wins
  }
  return out;
}

function emailOf(from) {
  const m = /<([^>]+)>/.exec(from || '');
  const addr = (m ? m[1] : (from || '').split(/\s+/).find((w) => w.includes('@')) || '').trim();
  return addr.toLowerCase();
}

const REPLY_PREFIX = /^\s*((re|aw|sv|antw|vs|ynt|odp|r)\s*(\[\d+\])?\s*:\s*)+/i;
const TAGS = /^(\s*\[[^\]]*\])+/;

function classifySubject(subjectRaw) {
  const subject = decodeRfc2047(subjectRaw || '').replace(/\s+/g, ' ').trim();
  const isReply = REPLY_PREFIX.test(subject);
  const rest = subject.replace(REPLY_PREFIX, '').replace(/^\s*(fwd?|fw)\s*:\s*/i, '');
  const tm = TAGS.exec(rest);
  const tags = tm ? tm[0] : '';
  const isPatchTag = /\b(PATCH|RFC)/i.test(tags); // also [PATCHv2], [RFC-v2 ...]
  const nm = /\b(\d+)\s*\/\s*(\d+)\b/.exec(tags);
  const n = nm ? Number(nm[1]) : null;
  return { subject, isReply, isPatchTag, n };
}

function isRobot(h) {
  const from = decodeRfc2047(h.from || '');
  return emailOf(from) === 'lkp@intel.com' || /kernel test robot/i.test(from);
}

// "Applied"-style line in the sender's own text: a non-quoted line that begins with
// applied / queued / pulled (optionally preceded by "Thanks," / "I've" / "I have").
const APPLIED_LINE = /^\s*(thanks[,!.]?\s*)?((i've|i have|i)\s+)?(applied|queued|pulled)\b/i;
function hasAppliedLine(body) {
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*>/.test(line)) continue;
    if (APPLIED_LINE.test(line)) return true;
  }
  return false;
}

// Topic words: an "other" message must mention one of these in its subject or body (keeps list spam out).
const TOPIC = /\b(linux|kernel|mmc|sd|sdio|sdhci|emmc|patch|commit|driver)\b/i;

function isReadable(h, body) {
  // Excluded: whole body transfer-encoded as base64 (unreadable to a labeler),
  // or a multipart message whose first part is base64.
  if (/base64/i.test(h['content-transfer-encoding'] || '')) return false;
  if (/^multipart\//i.test(h['content-type'] || '')) {
    const m = /\r?\n\r?\n/.exec(body);
    const firstParts = body.slice(0, 2000);
    const partHead = /--[^\r\n]+\r?\n((?:[^\r\n]+\r?\n)*?)\r?\n/.exec(firstParts);
    if (partHead && /content-transfer-encoding:\s*base64/i.test(partHead[1])) return false;
    void m;
  }
  return true;
}

// ---- Read the archive ----
function listCommits() {
  const r = spawnSync('git', ['-C', REPO, 'rev-list', '--reverse', PINNED_TIP], { maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git rev-list failed: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

function readBlobs(commits) {
  // git cat-file --batch, one "<commit>:m" per line; returns Buffers in order.
  return new Promise((res, rej) => {
    const p = spawn('git', ['-C', REPO, 'cat-file', '--batch']);
    const chunks = [];
    p.stdout.on('data', (d) => chunks.push(d));
    p.stderr.on('data', (d) => process.stderr.write(d));
    p.on('error', rej);
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error('git cat-file failed'));
      const all = Buffer.concat(chunks);
      const out = [];
      let pos = 0;
      for (let i = 0; i < commits.length; i++) {
        const nl = all.indexOf(10, pos);
        const header = all.slice(pos, nl).toString();
        const parts = header.split(' ');
        if (parts[1] === 'missing') {
          out.push(null);
          pos = nl + 1;
          continue;
        }
        const size = Number(parts[2]);
        out.push(all.slice(nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
      res(out);
    });
    p.stdin.end(commits.map((c) => `${c}:m`).join('\n') + '\n');
  });
}

const commits = listCommits();
const blobs = await readBlobs(commits);

// ---- Parse and classify ----
const seen = new Set();
const msgs = [];
let dupes = 0;
let noMsgid = 0;
for (let i = 0; i < commits.length; i++) {
  const buf = blobs[i];
  if (!buf) continue;
  const raw = buf.toString('utf8');
  const { head, body } = splitMessage(raw);
  const h = parseHeaders(head);
  const mm = /<([^>]+)>/.exec(h['message-id'] || '');
  if (!mm) {
    noMsgid++;
    continue;
  }
  const msgid = mm[1].trim();
  if (seen.has(msgid)) {
    dupes++;
    continue;
  }
  seen.add(msgid);
  const subj = classifySubject(h.subject);
  const bodyLines = body.split(/\r?\n/).length;
  msgs.push({
    commit: commits[i],
    msgid,
    from: emailOf(decodeRfc2047(h.from || '')),
    robot: isRobot(h),
    ...subj,
    applied: hasAppliedLine(body),
    perfTable: /%change/.test(body),
    onTopic: TOPIC.test(`${subj.subject}\n${body}`),
    readable: isReadable(h, body),
    bodyLines,
    buf,
  });
}

// ---- Maintainers: top senders of "Applied"-style replies ----
const appliedCount = new Map();
for (const m of msgs) {
  if (m.robot || !m.isReply || !m.applied) continue;
  appliedCount.set(m.from, (appliedCount.get(m.from) || 0) + 1);
}
const maintainerTable = [...appliedCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const MAINTAINERS = new Set(maintainerTable.slice(0, MAINTAINER_COUNT).map(([a]) => a));

function stratumOf(m) {
  if (m.robot) return 'robot';
  if (!m.isReply && m.isPatchTag) return m.n === 0 ? 'cover' : 'patch';
  if (MAINTAINERS.has(m.from)) return 'maintainer';
  if (m.isReply && m.isPatchTag) return 'reply';
  return 'other';
}

const population = Object.fromEntries(STRATA.map((s) => [s, 0]));
const eligible = Object.fromEntries(STRATA.map((s) => [s, []]));
for (const m of msgs) {
  m.stratum = stratumOf(m);
  population[m.stratum]++;
  const ok = m.readable && (m.bodyLines <= MAX_BODY_LINES || (m.robot && m.perfTable)) && (m.stratum !== 'other' || m.onTopic);
  if (ok) eligible[m.stratum].push(m);
}

if (STATS) {
  console.log(`commits ${commits.length}, unique messages ${msgs.length}, duplicate msgids ${dupes}, no msgid ${noMsgid}`);
  console.log('maintainers (address, Applied-style replies):');
  maintainerTable.slice(0, MAINTAINER_COUNT + 5).forEach(([a, c], i) => console.log(`  ${i < MAINTAINER_COUNT ? '*' : ' '} ${a} ${c}`));
  for (const s of STRATA) console.log(`${s}: population ${population[s]}, eligible ${eligible[s].length}, quota ${QUOTAS[s]}`);
  console.log(`robot perf reports (body has "%change"): population ${msgs.filter((m) => m.robot && m.perfTable).length}, eligible ${eligible.robot.filter((m) => m.perfTable).length}`);
  process.exit(0);
}

// ---- Draw: per stratum, order by sha256(SEED + "\n" + msgid), take the first quota ----
const rank = (m) => sha256(`${SEED}\n${m.msgid}`);
const sample = [];
for (const s of STRATA) {
  // In the robot stratum, performance reports (body contains "%change") come first, then the rest; each group by rank.
  const group = (m) => (s === 'robot' && m.perfTable ? '0' : '1');
  const c = eligible[s]
    .map((m) => ({ m, k: group(m) + rank(m) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  if (c.length < QUOTAS[s]) throw new Error(`stratum ${s}: only ${c.length} eligible, quota ${QUOTAS[s]}`);
  for (const { m } of c.slice(0, QUOTAS[s])) sample.push(m);
}
// Sample order: by sha256("order\n" + SEED + "\n" + msgid), so strata are interleaved (labelers do not see runs of one kind).
const orderKey = (m) => sha256(`order\n${SEED}\n${m.msgid}`);
sample.sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : 1));

// ---- Split: per stratum, order by sha256("split\n" + SEED + "\n" + msgid); first ceil(40%) are test ----
const splitKey = (m) => sha256(`split\n${SEED}\n${m.msgid}`);
for (const s of STRATA) {
  const inS = sample.filter((m) => m.stratum === s).sort((a, b) => (splitKey(a) < splitKey(b) ? -1 : 1));
  const nTest = Math.ceil(inS.length * TEST_FRACTION);
  inS.forEach((m, i) => (m.split = i < nTest ? 'test' : 'train'));
}

// ---- Batches: per stratum (test first, then train, each in sample order), deal round-robin to 3 labelers ----
sample.forEach((m, i) => (m.index = i + 1));
const batches = [[], [], []];
let deal = 0;
for (const s of STRATA) {
  const inS = sample.filter((m) => m.stratum === s);
  for (const sp of ['test', 'train'])
    for (const m of inS.filter((x) => x.split === sp)) batches[deal++ % 3].push(m.index);
}
batches.forEach((b) => b.sort((a, b2) => a - b2));

// ---- Overlap (agreement check): from each batch, the OVERLAP_PER_BATCH indexes with the smallest
//      sha256("overlap\n" + SEED + "\n" + msgid) are also labeled by the next labeler (batch k -> labeler k+1 mod 3).
const overlapKey = (idx) => sha256(`overlap\n${SEED}\n${sample[idx - 1].msgid}`);
const overlap = batches.map((b, k) => ({
  from_batch: k + 1,
  second_labeler_batch: ((k + 1) % 3) + 1,
  indexes: [...b]
    .sort((x, y) => (overlapKey(x) < overlapKey(y) ? -1 : 1))
    .slice(0, OVERLAP_PER_BATCH)
    .sort((x, y) => x - y),
}));

// ---- Write ----
const pad = (i) => String(i).padStart(3, '0');
const mailDir = join(HERE, 'mail');
if (existsSync(mailDir)) rmSync(mailDir, { recursive: true });
mkdirSync(mailDir, { recursive: true });
for (const m of sample) writeFileSync(join(mailDir, `${pad(m.index)}.eml`), m.buf);

const json = (o) => JSON.stringify(o, null, 2) + '\n';
writeFileSync(
  join(HERE, 'sample.json'),
  json({
    archive: 'linux-mmc-0.git (public-inbox v2, epoch 0)',
    pinned_tip: PINNED_TIP,
    seed: SEED,
    quotas: QUOTAS,
    maintainers: [...MAINTAINERS].sort(),
    messages: sample.map((m) => ({
      index: m.index,
      file: `mail/${pad(m.index)}.eml`,
      msgid: m.msgid,
      commit: m.commit,
      stratum: m.stratum,
      split: m.split,
    })),
  }),
);
writeFileSync(
  join(HERE, 'split.json'),
  json({
    train: sample.filter((m) => m.split === 'train').map((m) => m.msgid),
    test: sample.filter((m) => m.split === 'test').map((m) => m.msgid),
  }),
);
writeFileSync(join(HERE, 'batches.json'), json(batches));
writeFileSync(join(HERE, 'overlap.json'), json(overlap));

const count = (f) => STRATA.map((s) => `${s} ${sample.filter((m) => m.stratum === s && f(m)).length}`).join(', ');
console.log(`sampled ${sample.length}: ${count(() => true)}`);
console.log(`test ${sample.filter((m) => m.split === 'test').length}: ${count((m) => m.split === 'test')}`);
console.log(`train ${sample.filter((m) => m.split === 'train').length}`);
console.log(`batches: ${batches.map((b) => b.length).join(' / ')}`);

// Oracle checks of lib/patch against git itself, on a public-inbox epoch repository (one commit
// per message, the raw message in the blob `m`). Used by scripts/oracle/patchid.mts and
// lib/patch/oracle.test.ts. Needs `git` on PATH; everything else is read-only.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseMail } from "../../lib/mail/parse";
import { formatDiff } from "../../lib/patch/diff";
import { patchId } from "../../lib/patch/patchid";
import { splitPatchMail, type PatchMail } from "../../lib/patch/split";

export const BUNDLE = path.resolve(import.meta.dirname, "../../../shared/corpora/linux-mmc-0.bundle");
export const SHARED_CLONE = "/tmp/mmc.git";
export const OWN_CLONE = "/tmp/oracle-mmc.git";

/** The repository to read: /tmp/mmc.git when present (read-only), else our own mirror clone of the bundle. */
export function ensureRepo(explicit?: string): string {
  if (explicit) return explicit;
  if (fs.existsSync(path.join(SHARED_CLONE, "HEAD"))) return SHARED_CLONE;
  if (!fs.existsSync(path.join(OWN_CLONE, "HEAD"))) {
    if (!fs.existsSync(BUNDLE)) throw new Error(`no repository: ${SHARED_CLONE} and ${BUNDLE} are both absent`);
    execFileSync("git", ["clone", "--quiet", "--mirror", BUNDLE, OWN_CLONE], { stdio: "inherit" });
  }
  return OWN_CLONE;
}

/** Every message blob of the epoch, oldest first, streamed through one `git cat-file --batch`. */
export async function* readMessages(repo: string): AsyncGenerator<{ commit: string; raw: Buffer }> {
  const commits = execFileSync("git", ["-C", repo, "rev-list", "--reverse", "HEAD"], { maxBuffer: 1 << 28 })
    .toString()
    .split("\n")
    .filter(Boolean);
  const proc = spawn("git", ["-C", repo, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "inherit"] });
  // feed requests in the background; read answers in order
  (async () => {
    for (const c of commits) {
      if (!proc.stdin.write(`${c}:m\n`)) await new Promise((r) => proc.stdin.once("drain", r));
    }
    proc.stdin.end();
  })();
  let buf: Buffer = Buffer.alloc(0);
  let idx = 0;
  for await (const chunk of proc.stdout) {
    buf = buf.length ? Buffer.concat([buf, chunk as Buffer]) : (chunk as Buffer);
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) break;
      const head = buf.subarray(0, nl).toString();
      const m = /^(\S+) (\S+) (\d+)$/.exec(head);
      if (!m) {
        // "<rev> missing"
        buf = buf.subarray(nl + 1);
        idx++;
        continue;
      }
      const size = Number(m[3]);
      if (buf.length < nl + 1 + size + 1) break;
      const raw = Buffer.from(buf.subarray(nl + 1, nl + 1 + size));
      buf = buf.subarray(nl + 1 + size + 1);
      yield { commit: commits[idx++], raw };
    }
  }
}

/** Cheap pre-filter on the raw bytes: a `[PATCH` subject and a body line that starts a diff. */
export function looksLikePatchMail(raw: Buffer): boolean {
  const hdrEnd = raw.indexOf("\n\n");
  if (hdrEnd < 0) return false;
  const head = raw.subarray(0, hdrEnd).toString("latin1");
  const subj = /^Subject:(.*(?:\n[ \t].*)*)/im.exec(head);
  if (!subj || !/\[[^\]]*PATCH/i.test(subj[1])) return false;
  const body = raw.subarray(hdrEnd).toString("latin1");
  return /\n(diff -|Index: |--- \S)/.test(body) || /content-transfer-encoding:\s*base64/i.test(head + body.slice(0, 4000));
}

/** A deterministic sample: every n-th candidate so that about `want` are taken. */
export async function sampleMails(repo: string, want: number): Promise<{ commit: string; raw: Buffer }[]> {
  const cands: { commit: string; raw: Buffer }[] = [];
  for await (const m of readMessages(repo)) if (looksLikePatchMail(m.raw)) cands.push(m);
  const step = Math.max(1, Math.floor(cands.length / want));
  const out: { commit: string; raw: Buffer }[] = [];
  for (let k = 0; k < cands.length && out.length < want; k += step) out.push(cands[k]);
  return out;
}

function gitPatchIdOf(input: Buffer | string): string | null {
  const r = spawnSync("git", ["patch-id", "--stable"], { input, maxBuffer: 1 << 26 });
  const first = r.stdout.toString().split("\n")[0];
  return first ? first.split(" ")[0] : null;
}

export interface MailinfoResult {
  msg: string;
  /** the patch file as bytes (git keeps the mail's charset there) and as text decoded with `charset` */
  patchBytes: Buffer;
  patch: string;
  info: Record<string, string>;
}

export function gitMailinfo(raw: Buffer, tmp: string, charset = "utf-8"): MailinfoResult {
  const msgF = path.join(tmp, "msg");
  const patchF = path.join(tmp, "patch");
  const r = spawnSync("git", ["mailinfo", "--scissors", msgF, patchF], { input: raw, maxBuffer: 1 << 26 });
  const info: Record<string, string> = {};
  for (const l of r.stdout.toString().split("\n")) {
    const m = /^([A-Za-z]+): (.*)$/.exec(l);
    if (m) info[m[1]] = m[2];
  }
  const patchBytes = fs.readFileSync(patchF);
  let patch: string;
  try {
    patch = new TextDecoder(charset).decode(patchBytes);
  } catch {
    patch = patchBytes.toString("utf8");
  }
  return { msg: fs.readFileSync(msgF, "utf8"), patchBytes, patch, info };
}

/** Lines with trailing whitespace removed, edge blank lines dropped. */
export function normText(s: string): string {
  const ls = s.replace(/\r\n/g, "\n").split("\n").map((l) => l.replace(/[ \t\r]+$/, ""));
  let a = 0;
  let b = ls.length;
  while (a < b && ls[a] === "") a++;
  while (b > a && ls[b - 1] === "") b--;
  return ls.slice(a, b).join("\n");
}

export interface Comparison {
  commit: string;
  msgid: string;
  subject: string;
  kind: PatchMail["kind"];
  cte: string;
  flowed: boolean;
  /** git patch-id --stable on the raw message, and on mailinfo's (decoded) patch output */
  gitRaw: string | null;
  gitDecoded: string | null;
  /** git patch-id --stable on formatDiff(our parsed diff, repaired): checks the hash port alone */
  gitOnOurs: string | null;
  /** ours: patchId(ParsedDiff from splitPatchMail) and patchId(body text) */
  ours: string | null;
  oursText: string | null;
  patchIdAgree: boolean;
  /** the reference chosen for this mail: raw, unless the body is transfer-encoded (git hashes the encoding) */
  reference: "raw" | "decoded";
  msgAgree: boolean;
  patchAgree: boolean;
  titleAgree: boolean;
  damaged: string[];
  reasons: string[];
}

export async function compareMail(commit: string, raw: Buffer, tmp: string): Promise<Comparison> {
  const pm = await parseMail(raw);
  const split = splitPatchMail({ subject: pm.subject, body: pm.text, attachments: pm.attachments });
  const headers = new Map(pm.headers);
  const cte = (headers.get("content-transfer-encoding") ?? "").toLowerCase().trim();
  const ctype = (headers.get("content-type") ?? "").toLowerCase();
  const multipart = ctype.startsWith("multipart/");
  const flowed = /format\s*=\s*"?flowed/.test(ctype);
  const charset = (/charset\s*=\s*"?([^";\s]+)/.exec(ctype)?.[1] ?? "utf-8").toLowerCase();
  const nonUtf8 = !multipart && !/^(utf-?8|us-ascii|ascii)$/.test(charset);
  const replaced = pm.text.includes("\uFFFD") || pm.attachments.some((a) => a.text?.includes("\uFFFD"));
  const gitRaw = gitPatchIdOf(raw);
  const mi = gitMailinfo(raw, tmp, nonUtf8 ? charset : "utf-8");
  const gitDecoded = mi.patchBytes.length ? gitPatchIdOf(mi.patchBytes) : null;
  const ours = split.diff ? patchId(split.diff) : null;
  const oursText = patchId(split.source.part === "body" ? pm.text : (pm.attachments[split.source.index]?.text ?? ""));
  const gitOnOurs = split.diff ? gitPatchIdOf(formatDiff(split.diff, { repair: true })) : null;
  const encoded = cte === "quoted-printable" || cte === "base64" || multipart;
  const reference = encoded ? "decoded" : "raw";
  const ref = reference === "raw" ? gitRaw : gitDecoded;
  const patchIdAgree = ours === ref;

  const reasons: string[] = [];
  if (!patchIdAgree) {
    if (encoded && gitRaw !== gitDecoded) reasons.push(`body is ${multipart ? "multipart" : cte}: git on the raw message hashes the encoded text`);
    if (flowed) reasons.push("format=flowed body: parseMail un-flows it, git does not");
    if (replaced) reasons.push("invalid UTF-8 bytes in the patch: parseMail gives U+FFFD for them, git hashes the bytes");
    if (nonUtf8) reasons.push(`${charset} body: git hashes those bytes, we hash the decoded text as UTF-8`);
    const eaten = split.diff?.damaged.find((d) => d.includes("leading space eaten"));
    if (eaten && gitOnOurs === ours)
      reasons.push(`git is wrong: ${eaten}; git patch-id does not count that line, runs past the hunk's end and hashes what follows (signature, next header); git patch-id on the repaired diff gives ours`);
    else if (split.diff?.damaged.length && oursText === ref)
      reasons.push(`damaged diff (${split.diff.damaged[0]}): git hashes on until its own line counts run out, the parsed diff stops where the hunk stops fitting; patchId(body text) reproduces git`);
    else if (split.diff?.damaged.length) reasons.push(`damaged diff: ${split.diff.damaged[0]}`);
    if (ours !== oursText && oursText === ref && !reasons.some((r) => r.includes("reproduces git"))) reasons.push("patchId(body text) agrees with git");
    if (split.source.part === "attachment") reasons.push("patch in an attachment");
    if (!reasons.length) reasons.push("unexplained");
  }

  // mailinfo: commit message, patch split and title
  let msgAgree = true;
  let patchAgree = true;
  let titleAgree = true;
  if (split.source.part === "body") {
    msgAgree = normText(mi.msg) === normText(split.commitMessage);
    const ourPatch = split.parts.patch ? pm.text.split("\n").slice(split.parts.patch.start).join("\n") : "";
    patchAgree = normText(mi.patch) === normText(ourPatch);
    titleAgree = (mi.info.Subject ?? "") === split.title;
  } else {
    // mailinfo glues the body and the attachment's header lines into the message: compare the
    // diff only (see the report)
    const ourDiffText = split.diff ? normText(pm.attachments[split.source.index]!.text!.split("\n").slice(split.diff.startLine, split.diff.endLine).join("\n")) : "";
    patchAgree = normText(mi.patch).includes(ourDiffText);
  }
  const glued = (a: string, b: string) => a !== b && a.startsWith(b) && pm.attachments.some((x) => x.text === null);
  if (!msgAgree) {
    if (glued(normText(mi.msg), normText(split.commitMessage)))
      reasons.push(`git is wrong: mailinfo appends the decoded binary attachment (${pm.attachments.map((a) => a.filename ?? a.contentType).join(", ")}) to the message`);
    else if (/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/m.test(mi.msg) && split.inBodyFrom)
      reasons.push("git is wrong: mailinfo keeps a format-patch 'From <sha> Mon Sep 17 …' line and the From:/Date:/Subject: lines after it in the message");
    else if (/^(--\S+|Content-Type: )/m.test(mi.msg) && !/^(--\S+|Content-Type: )/m.test(split.commitMessage))
      reasons.push("git is wrong: mailinfo does not decode this MIME structure (nested multipart), its message holds MIME boundaries and encoded text");
    else if (flowed) reasons.push("mailinfo message differs: format=flowed body, parseMail un-flows it (see report)");
    else reasons.push("mailinfo message differs");
  }
  if (!patchAgree) {
    const ourPatch = split.parts.patch && split.source.part === "body" ? normText(pm.text.split("\n").slice(split.parts.patch.start).join("\n")) : "";
    if (glued(normText(mi.patch), ourPatch))
      reasons.push(`git is wrong: mailinfo appends the decoded binary attachment (${pm.attachments.map((a) => a.filename ?? a.contentType).join(", ")}) to the patch`);
    else reasons.push("mailinfo patch split differs");
  }
  if (!titleAgree) reasons.push(`mailinfo subject differs: git "${mi.info.Subject}" ours "${split.title}"`);
  return {
    commit,
    msgid: pm.msgid,
    subject: pm.subject,
    kind: split.kind,
    cte,
    flowed,
    gitRaw,
    gitDecoded,
    gitOnOurs,
    ours,
    oursText,
    patchIdAgree,
    reference,
    msgAgree,
    patchAgree,
    titleAgree,
    damaged: split.diff?.damaged ?? [],
    reasons,
  };
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "patchlore-oracle-"));
}

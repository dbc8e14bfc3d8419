// Oracle: lib/patch (splitPatchMail + parseDiff + patchId) against `git patch-id --stable` and
// `git mailinfo --scissors` on a deterministic sample of patch mails of a public-inbox epoch.
//
//   npx tsx scripts/oracle/patchid.mts [--repo DIR] [--n 600] [--verbose] [--json FILE]
//
// Repository: --repo, else /tmp/mmc.git (read-only), else a mirror clone of
// ../shared/corpora/linux-mmc-0.bundle made in /tmp/oracle-mmc.git.
// Sample: every k-th message (oldest first) whose Subject has "[…PATCH" and whose body has a line
// starting a diff, k chosen so that about --n messages are taken.
//
// Patch-id reference: git patch-id on the raw message; for a transfer-encoded body
// (quoted-printable, base64, multipart) git would hash the encoded text, so the reference is git
// patch-id on the patch file mailinfo decodes. Both figures are printed.

import fs from "node:fs";
import { compareMail, ensureRepo, sampleMails, tmpDir, type Comparison } from "./oracle-lib";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const want = Number(opt("--n") ?? 600);
const verbose = args.includes("--verbose");

const repo = ensureRepo(opt("--repo"));
const t0 = Date.now();
const sample = await sampleMails(repo, want);
const tmp = tmpDir();
const results: Comparison[] = [];
for (const m of sample) results.push(await compareMail(m.commit, m.raw, tmp));
fs.rmSync(tmp, { recursive: true, force: true });

const jsonOut = opt("--json");
if (jsonOut) fs.writeFileSync(jsonOut, results.map((r) => JSON.stringify(r)).join("\n") + "\n");

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : "n/a");
const n = results.length;
const withId = results.filter((r) => r.gitRaw !== null || r.gitDecoded !== null || r.ours !== null);
const idAgree = results.filter((r) => r.patchIdAgree).length;
const rawAgree = results.filter((r) => r.ours === r.gitRaw).length;
const textAgree = results.filter((r) => r.oursText === r.gitRaw).length;
const textRefAgree = results.filter((r) => r.oursText === (r.reference === "raw" ? r.gitRaw : r.gitDecoded)).length;
const hashAgree = results.filter((r) => r.ours === r.gitOnOurs).length;
const decodedAgree = results.filter((r) => r.ours === r.gitDecoded).length;
const bodyMails = results.filter((r) => r.kind !== "attachment");
const msgAgree = bodyMails.filter((r) => r.msgAgree).length;
const patchAgree = results.filter((r) => r.patchAgree).length;
const titleAgree = bodyMails.filter((r) => r.titleAgree).length;
const kinds = new Map<string, number>();
for (const r of results) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);

console.log(`repository ${repo}; ${n} mails sampled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`kinds: ${[...kinds].map(([k, v]) => `${k} ${v}`).join(", ")}; ${withId.length} with a patch-id on either side`);
console.log(`patch-id (reference: git on raw, or on mailinfo's decoded patch for encoded bodies): ${n} compared, ${idAgree} agree, ${pct(idAgree, n)}%`);
console.log(`  ours(parsed diff) vs git patch-id on the raw message:       ${rawAgree}/${n} ${pct(rawAgree, n)}%`);
console.log(`  ours(body text)   vs git patch-id on the raw message:       ${textAgree}/${n} ${pct(textAgree, n)}%`);
console.log(`  ours(parsed diff) vs git patch-id on mailinfo's patch:      ${decodedAgree}/${n} ${pct(decodedAgree, n)}%`);
console.log(`  ours(body text)   vs the reference:                         ${textRefAgree}/${n} ${pct(textRefAgree, n)}%`);
console.log(`  ours(parsed diff) vs git patch-id on our formatted diff:    ${hashAgree}/${n} ${pct(hashAgree, n)}%`);
console.log(`mailinfo commit message (body patches, modulo trailing whitespace): ${bodyMails.length} compared, ${msgAgree} agree, ${pct(msgAgree, bodyMails.length)}%`);
console.log(`mailinfo patch part: ${n} compared, ${patchAgree} agree, ${pct(patchAgree, n)}%`);
console.log(`mailinfo subject/title: ${bodyMails.length} compared, ${titleAgree} agree, ${pct(titleAgree, bodyMails.length)}%`);
const bad = results.filter((r) => r.reasons.length);
const byReason = new Map<string, number>();
for (const r of bad) for (const why of r.reasons) {
  const key = why.replace(/\(.*?\)/g, "(…)").replace(/: [^;]*?: \d+ empty context lines? in hunk at line \d+/, ": N empty context lines");
  byReason.set(key, (byReason.get(key) ?? 0) + 1);
}
if (bad.length) {
  console.log(`\n${bad.length} disagreements, by reason:`);
  for (const [k, v] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(4)}  ${k}`);
  console.log("");
}
for (const r of bad) {
  console.log(`- ${r.msgid} [${r.kind}${r.cte ? ", " + r.cte : ""}] ${r.subject.slice(0, 70)}`);
  console.log(`    ${r.reasons.join("; ")}`);
  if (verbose) console.log(`    ours ${r.ours} text ${r.oursText} git-raw ${r.gitRaw} git-decoded ${r.gitDecoded} (commit ${r.commit})`);
}

// Oracle check against git itself on ~100 patch mails of the linux-mmc corpus (see
// scripts/oracle/patchid.mts for the full run and the report). Skipped when the corpus bundle is
// absent. Needs `git` on PATH.

import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { BUNDLE, compareMail, ensureRepo, sampleMails, tmpDir, type Comparison } from "../../scripts/oracle/oracle-lib";

const haveCorpus = fs.existsSync(BUNDLE);

describe("oracle: lib/patch vs git patch-id --stable and git mailinfo (linux-mmc sample)", () => {
  it.skipIf(!haveCorpus)(
    "agrees with git on every sampled patch mail",
    async () => {
      const repo = ensureRepo();
      const sample = await sampleMails(repo, 100);
      expect(sample.length).toBeGreaterThanOrEqual(100);
      const tmp = tmpDir();
      const results: Comparison[] = [];
      try {
        for (const m of sample) results.push(await compareMail(m.commit, m.raw, tmp));
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      const ref = (r: Comparison) => (r.reference === "raw" ? r.gitRaw : r.gitDecoded);
      // 1. the patch-id port: git's value for the same text, on every mail
      const textMiss = results.filter((r) => r.oursText !== ref(r) && !r.reasons.some((x) => /charset|body: git hashes those bytes|invalid UTF-8/.test(x)));
      expect(textMiss.map((r) => `${r.msgid}: ${r.oursText} != ${ref(r)}`)).toEqual([]);
      // 2. the parsed diff: git's value, except where git is shown wrong (it hashes past a hunk
      //    whose empty context line lost its space; git patch-id of the repaired diff is ours)
      const parsedMiss = results.filter((r) => r.ours !== ref(r) && !(r.reasons.some((x) => x.startsWith("git is wrong")) && r.gitOnOurs === r.ours));
      expect(parsedMiss.map((r) => `${r.msgid}: ${r.ours} != ${ref(r)} (${r.reasons.join("; ")})`)).toEqual([]);
      // 3. the hash alone: git patch-id of our formatted diff is our id, always
      expect(results.filter((r) => r.ours !== r.gitOnOurs).map((r) => r.msgid)).toEqual([]);
      // 4. mailinfo: same title always; message and patch split except the documented git failures
      expect(results.filter((r) => !r.titleAgree).map((r) => r.msgid)).toEqual([]);
      const splitMiss = results.filter((r) => (!r.msgAgree || !r.patchAgree) && !r.reasons.some((x) => x.startsWith("git is wrong") || x.includes("format=flowed")));
      expect(splitMiss.map((r) => `${r.msgid}: ${r.reasons.join("; ")}`)).toEqual([]);
    },
    600_000,
  );

  it.skipIf(haveCorpus)("is skipped: ../shared/corpora/linux-mmc-0.bundle is absent", () => {
    console.warn(`lib/patch oracle test skipped: ${BUNDLE} not found`);
  });
});

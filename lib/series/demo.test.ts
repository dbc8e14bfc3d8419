// The demo corpus (ingest/demo/demo.mbox, written for patchlore): its RFC, v1, v2 and v3 are one
// version line; the 2025 follow-up fix by another author is a line of its own.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { extractBodyFacts } from "./body";
import { groupSeries, type SeriesInput } from "./group";
import { linkVersions } from "./versions";

const DEMO = path.resolve(import.meta.dirname, "../../ingest/demo/demo.mbox");

function splitMboxrd(buf: Buffer): Buffer[] {
  const text = buf.toString("latin1");
  return text
    .split(/^From [^\n]*\n/m)
    .filter((m) => m.trim().length > 0)
    .map((m) => Buffer.from(m.replace(/^>(>*From )/gm, "$1"), "latin1"));
}

async function demoInputs(): Promise<SeriesInput[]> {
  const out: SeriesInput[] = [];
  for (const raw of splitMboxrd(readFileSync(DEMO))) {
    const m = await parseMail(raw);
    const f = extractBodyFacts(m.text);
    out.push({
      msgid: m.msgid,
      subject: m.subject,
      from: m.from.address,
      date: m.date,
      references: m.references,
      inReplyTo: m.inReplyTo,
      hasDiff: /^diff --git /m.test(m.text),
      patchId: null,
      files: [...m.text.matchAll(/^diff --git a\/\S+ b\/(\S+)/gm)].map((x) => x[1]),
      changeId: f.changeId,
      baseCommit: f.baseCommit,
      bodyRefs: f.bodyRefs,
      supersedes: f.supersedes,
      obsoletedBy: f.obsoletedBy,
      basedOn: f.basedOn,
      previousVersionRefs: f.previousVersionRefs,
      changelogVersions: f.changelogVersions,
    });
  }
  return out;
}

describe("demo corpus", () => {
  it("RFC, v1, v2, v3 form one version line; the follow-up fix stands alone", async () => {
    const inputs = await demoInputs();
    expect(inputs).toHaveLength(58);
    const series = groupSeries(inputs);
    const posted = series.map((s) => [s.revision, s.isRfc, s.cover, s.patches.length, s.complete]);
    expect(posted).toEqual([
      ["1", true, "20230412081500.48213-1-mira@kernel.example", 2, true],
      ["1", false, "20230620071000.91127-1-mira@kernel.example", 3, true],
      ["2", false, "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example", 4, true],
      ["3", false, "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example", 4, true],
      ["1", false, null, 1, true],
    ]);
    expect(series[0].changeId).toBe("20230412-rotation-queue-1a2b3c4d5e6f");
    const lines = linkVersions(series);
    expect(lines.map((l) => l.series)).toEqual([
      [
        "20230412081500.48213-1-mira@kernel.example",
        "20230620071000.91127-1-mira@kernel.example",
        "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example",
        "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example",
      ],
      ["20250114093000.11842-1-priya.raman@example.com"],
    ]);
    expect(lines[0].links.map((l) => [l.method, l.confidence, l.kind])).toEqual([
      ["change-id", 1, "new-version"],
      ["change-id", 1, "new-version"],
      ["change-id", 1, "new-version"],
    ]);
  });

  it("without change-ids the cover letters' links and changelogs still make the line", async () => {
    const inputs = (await demoInputs()).map((m) => ({ ...m, changeId: null }));
    const lines = linkVersions(groupSeries(inputs));
    expect(lines[0].series).toHaveLength(4);
    expect(lines[0].links.map((l) => l.method)).toEqual(["reference", "reference", "reference"]);
  });
});

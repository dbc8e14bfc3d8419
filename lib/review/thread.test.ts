import { describe, expect, it } from "vitest";
import { parseDiff } from "../patch/diff";
import { trailerKey } from "./trailers";
import { analyzeThread, type ThreadMessageInput } from "./thread";

const patchBody = (n: number, fn: string) => `widget: part ${n}

Signed-off-by: Ada Sender <ada@example.org>
---
diff --git a/w${n}.c b/w${n}.c
index 1111111..2222222 100644
--- a/w${n}.c
+++ b/w${n}.c
@@ -5,5 +5,6 @@ static int ${fn}(struct widget *w)
 \tint ret;
 
 \tret = widget_prepare(w, ${n});
+\tret = widget_commit_and_wait_for_completion(w, ${n});
 \treturn ret;
`;

const ada = { name: "Ada Sender", address: "ada@example.org" };
const ivo = { name: "Ivo Reviewer", address: "ivo@example.org" };

function msg(msgid: string, inReplyTo: string | null, subject: string, from: typeof ada, body: string, isPatch = false): ThreadMessageInput {
  return {
    msgid,
    inReplyTo,
    references: inReplyTo ? [inReplyTo] : [],
    subject,
    from,
    date: "2024-05-06T10:00:00Z",
    body,
    patch: isPatch ? { body, diff: parseDiff(body), patchId: `pid-${msgid}` } : null,
  };
}

describe("analyzeThread", () => {
  const thread: ThreadMessageInput[] = [
    // children before parents on purpose: the pass orders them
    msg("answer", "review", "Re: [PATCH 2/2] widget: part 2", ada, "On Mon, May 6, 2024 at 11:00 AM Ivo Reviewer <ivo@example.org> wrote:\n> > +\tret = widget_commit_and_wait_for_completion(w, 2);\n>\n> This overwrites ret without checking it.\n\nGood catch, will fix in v2.\n"),
    msg("cover", null, "[PATCH 0/2] widget: parts", ada, "Two parts.\n\n---\n 2 files changed, 2 insertions(+)\n"),
    msg("p1", "cover", "[PATCH 1/2] widget: part 1", ada, patchBody(1, "w_one"), true),
    msg("p2", "cover", "[PATCH 2/2] widget: part 2", ada, patchBody(2, "w_two"), true),
    msg("review", "p2", "Re: [PATCH 2/2] widget: part 2", ivo, "> \tret = widget_prepare(w, 2);\n> +\tret = widget_commit_and_wait_for_completion(w, 2);\n\nThis overwrites ret without checking it.\n\nWith that fixed:\nReviewed-by: Ivo Reviewer <ivo@example.org>\n"),
    msg("ack", "cover", "Re: [PATCH 0/2] widget: parts", ivo, "> Two parts.\n\nAcked-by: Ivo Reviewer <ivo@example.org>\n"),
  ];

  it("anchors each reply to the nearest patch above it, joins answers to their discussion, applies trailers per patch", () => {
    const { messages, series } = analyzeThread(thread, [{ id: "cover", cover: "cover", patches: ["p1", "p2"] }]);
    const review = messages.get("review")!;
    expect(review).toMatchObject({ kind: "reply", patchMsgid: "p2", verdict: { verdict: "review" } });
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({ text: "This overwrites ret without checking it.\n\nWith that fixed:", anchor: { file: "w2.c", newLine: 8, heading: "static int w_two(struct widget *w)" } });
    const answer = messages.get("answer")!;
    expect(answer).toMatchObject({ patchMsgid: "p2", parentMsgid: "review" });
    expect(answer.comments).toMatchObject([{ text: "Good catch, will fix in v2.", inReplyTo: 0, anchor: { file: "w2.c", newLine: 8 } }]);
    expect(messages.get("p1")).toMatchObject({ kind: "patch", trailers: [{ kind: "Signed-off-by" }] });
    expect(messages.get("ack")!.verdict).toMatchObject({ verdict: "ack" });
    const s = series[0];
    expect(s.perPatch.get("p1")!.map(trailerKey)).toEqual(["acked-by: ivo reviewer <ivo@example.org>"]);
    expect(s.perPatch.get("p2")!.map((t) => [trailerKey(t), t.via])).toEqual([
      ["reviewed-by: ivo reviewer <ivo@example.org>", "reply"],
      ["acked-by: ivo reviewer <ivo@example.org>", "cover"],
    ]);
    expect(s.mismatches).toEqual([]);
  });

  it("a robot's report keeps its offered tags as its trailers, applies none, and an un-Re:'d one stays 'other'", () => {
    const bot = { name: "build bot", address: "bot@ci.example.org" };
    const report = "Hi Ada,\n\nIf you fix the issue in a separate patch, kindly add following tags\n| Reported-by: build bot <bot@ci.example.org>\n| Closes: https://ci.example.org/r/1@example.org/\n\nAll errors:\nw1.c:8:2: error: unused ret\n";
    const { messages, series } = analyzeThread(
      [...thread.slice(1, 4), msg("bot", "p1", "Re: [PATCH 1/2] widget: part 1", bot, report), msg("bot2", "p2", "[PATCH 2/2] widget: part 2", bot, report)],
      [{ id: "cover", cover: "cover", patches: ["p1", "p2"] }],
    );
    expect(messages.get("bot")).toMatchObject({ kind: "reply", verdict: { verdict: null }, trailers: [{ kind: "Reported-by", offered: true }, { kind: "Closes", offered: true }] });
    expect(messages.get("bot2")!.kind).toBe("other");
    expect(series[0].perPatch.get("p1")).toEqual([]);
    expect(series[0].perPatch.get("p2")).toEqual([]);
    expect(series[0].mismatches).toEqual([]);
  });
});

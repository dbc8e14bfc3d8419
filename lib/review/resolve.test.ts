import { describe, expect, it } from "vitest";
import { parseDiff } from "../patch/diff";
import { anchorComments, type DiffAnchor, type MessageAnchor } from "./anchor";
import { authorAnswer, portAnchor, portMessageAnchor, resolveDiscussion } from "./resolve";

const V1 = `sprocket: retry the handshake

Signed-off-by: Ada Sender <ada@example.org>
---
diff --git a/drivers/sprocket/link.c b/drivers/sprocket/link.c
index 1111111..2222222 100644
--- a/drivers/sprocket/link.c
+++ b/drivers/sprocket/link.c
@@ -30,7 +30,11 @@ static int link_up(struct sprocket *s)
 \tint tries = 0;
 
 \tdo {
-\t\tret = handshake(s);
+\t\tret = handshake(s, HS_TIMEOUT);
+\t\tif (ret == -ETIMEDOUT)
+\t\t\tmsleep(10);
+\t\telse
+\t\t\tbreak;
 \t} while (++tries < 3);
 
 \treturn ret;
`;

// v2: a hunk added above (shifts the new lines by 2), the retry block unchanged
const V2_SHIFTED = V1.replace(
  "@@ -30,7 +30,11 @@",
  "@@ -3,6 +3,8 @@\n #include <linux/delay.h>\n+#include <linux/errno.h>\n+#include <linux/jiffies.h>\n \n #define HS_RETRIES 3\n \n@@ -30,7 +32,11 @@",
);
// v2: the sleep changed
const V2_CHANGED = V1.replace("+\t\t\tmsleep(10);", "+\t\t\tusleep_range(1000, 2000);");
// v2: the line kept, the line above it in the same block changed
const V2_NEIGHBOUR = V1.replace("+\t\tif (ret == -ETIMEDOUT)", "+\t\tif (ret == -ETIMEDOUT || ret == -EAGAIN)");
// v2: another file only
const V2_OTHER = `sprocket: retry the handshake

---
diff --git a/drivers/sprocket/core.c b/drivers/sprocket/core.c
index 3333333..4444444 100644
--- a/drivers/sprocket/core.c
+++ b/drivers/sprocket/core.c
@@ -1,3 +1,3 @@
 a
-b
+c
 d
`;

const REVIEW = `> +\t\tif (ret == -ETIMEDOUT)
> +\t\t\tmsleep(10);

Sleeping 10ms in the link-up path is a lot; usleep_range()?
`;

function anchorOf(): DiffAnchor {
  const [c] = anchorComments({ body: V1 }, REVIEW);
  return c.anchor as DiffAnchor;
}

describe("portAnchor (Gerrit-style porting)", () => {
  it("follows the line to its new number when only other lines moved", () => {
    const a = anchorOf();
    expect(a).toMatchObject({ newLine: 35, patchText: "+\t\t\tmsleep(10);" });
    const p = portAnchor(a, parseDiff(V1), parseDiff(V2_SHIFTED));
    expect(p).toMatchObject({ changed: false, reason: "unchanged", anchor: { hunkIndex: 1, newLine: 37, oldLine: null, method: "exact", confidence: 1 } });
  });

  it("reports the line gone when the next version rewrote it", () => {
    expect(portAnchor(anchorOf(), parseDiff(V1), parseDiff(V2_CHANGED))).toMatchObject({ changed: true, reason: "line-gone", anchor: null });
  });

  it("reports a change when the lines of its block changed, and still carries the anchor", () => {
    const p = portAnchor(anchorOf(), parseDiff(V1), parseDiff(V2_NEIGHBOUR));
    expect(p).toMatchObject({ changed: true, reason: "context-changed", anchor: { newLine: 35, method: "fuzzy" } });
    expect(p.anchor!.confidence).toBeLessThan(1);
  });

  it("reports the file dropped", () => {
    expect(portAnchor(anchorOf(), parseDiff(V1), parseDiff(V2_OTHER))).toMatchObject({ changed: true, reason: "file-dropped", anchor: null });
  });

  it("ports a commit-message anchor by its text", () => {
    const [c] = anchorComments({ body: V1 }, "> sprocket: retry the handshake\n\nSay why.\n");
    const a = c.anchor as MessageAnchor;
    expect(a).toMatchObject({ part: "message", line: 0 });
    expect(portMessageAnchor(a, `Some prefix line\n\n${V1}`)).toMatchObject({ line: 2 });
    expect(portMessageAnchor(a, V1.replace("retry the handshake", "retry the link handshake"))).toBeNull();
  });
});

describe("authorAnswer", () => {
  it.each([
    ["Good point, will do.", "will-fix"],
    ["Fixed in v3.", "done"],
    ["Done.", "done"],
    ["I've dropped the msleep() in v2.", "done"],
    ["Agreed, I'll switch to usleep_range().", "will-fix"],
    ["You're right.", "agree"],
    ["No, this is intentional: the firmware needs the delay.", "disagree"],
    ["I won't change it, the delay is needed.", "disagree"],
    ["Why would that be a problem?", null],
  ])("%s -> %s", (text, kind) => {
    expect(authorAnswer(text).kind).toBe(kind);
  });

  it("a question is weaker than a statement", () => {
    expect(authorAnswer("Will fix, thanks!").confidence).toBeGreaterThan(authorAnswer("Should I fix it in v2?").confidence);
  });
});

describe("resolveDiscussion", () => {
  const anchor = anchorOf();
  const diff = parseDiff(V1);

  it("resolved by the code: the next version changed the anchored line", () => {
    const r = resolveDiscussion({ anchor, replies: [], diff, nextDiff: parseDiff(V2_CHANGED) });
    expect(r).toMatchObject({ resolved: true, how: "code-changed", carried: null });
    expect(r.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it("resolved by the author's word, with less confidence when the next version did not keep the promise", () => {
    const said = resolveDiscussion({ anchor, replies: [{ text: "Good point, will do.", byPatchAuthor: true }], diff });
    expect(said).toMatchObject({ resolved: true, how: "author-will-fix", confidence: 0.75 });
    const unkept = resolveDiscussion({ anchor, replies: [{ text: "Good point, will do.", byPatchAuthor: true }], diff, nextDiff: parseDiff(V2_SHIFTED) });
    expect(unkept).toMatchObject({ resolved: true, how: "author-will-fix", confidence: 0.45 });
    // a reviewer's "will do" is not the author's
    expect(resolveDiscussion({ anchor, replies: [{ text: "I will fix it myself.", byPatchAuthor: false }], diff }).resolved).toBe(false);
  });

  it("open discussions are carried to the same line of the next version", () => {
    const r = resolveDiscussion({ anchor, replies: [{ text: "No, the firmware needs the delay.", byPatchAuthor: true }], diff, nextDiff: parseDiff(V2_SHIFTED) });
    expect(r.resolved).toBe(false);
    expect(r.carried).toMatchObject({ part: "diff", newLine: 37 });
    expect(r.port).toMatchObject({ reason: "unchanged" });
  });
});

import { describe, expect, it } from "vitest";
import { QUIET_DAYS, WORK_STATUSES, workStatus, type StatusDecision } from "./status";

const P1 = { id: 1, date: "2023-01-01T00:00:00Z", threadIds: [10] };
const P2 = { id: 2, date: "2023-03-01T00:00:00Z", threadIds: [20] };
const d = (kind: string, date: string, series_id: number | null, thread_id: number | null = null): StatusDecision => ({ kind, date, series_id, thread_id, message_id: 100 });
const day = (iso: string, n: number) => new Date(Date.parse(iso) + n * 86_400_000).toISOString();

describe("workStatus", () => {
  it("upstream commits make it merged, whatever was said", () => {
    expect(workStatus({ postings: [P1], decisions: [d("nak", "2023-01-02", 1)], merged: true }).status).toBe("merged");
  });

  it("the last decision on the latest posting is the status", () => {
    expect(workStatus({ postings: [P1, P2], decisions: [d("nak", "2023-01-05", 1), d("applied", "2023-03-05", 2)], merged: false })).toMatchObject({
      status: "applied",
      because: { seriesId: 2 },
    });
    expect(workStatus({ postings: [P1, P2], decisions: [d("queued", "2023-03-05", 2), d("withdrawn", "2023-03-06", 2)], merged: false }).status).toBe("withdrawn");
  });

  it("a request for changes is its own status; a deferral leaves the work open", () => {
    const asOf = "2023-03-10T00:00:00Z";
    expect(workStatus({ postings: [P2], decisions: [d("changes-requested", "2023-03-03", 2)], merged: false, lastActivity: "2023-03-03", asOf }).status).toBe("changes-requested");
    expect(workStatus({ postings: [P2], decisions: [d("deferred", "2023-03-03", 2)], merged: false, lastActivity: "2023-03-03", asOf })).toMatchObject({ status: "open", because: { pending: "deferred" } });
    // a decision after the request answers it
    expect(workStatus({ postings: [P2], decisions: [d("changes-requested", "2023-03-03", 2), d("applied", "2023-03-04", 2)], merged: false }).status).toBe("applied");
  });

  it("a NAK on an earlier version that a later one answered leaves the work open; applied on an earlier one stands", () => {
    expect(workStatus({ postings: [P1, P2], decisions: [d("nak", "2023-01-05", 1)], merged: false, lastActivity: "2023-03-01", asOf: "2023-03-02" })).toMatchObject({
      status: "open",
      because: { earlier: "nak" },
    });
    expect(workStatus({ postings: [P1, P2], decisions: [d("applied", "2023-01-05", 1)], merged: false }).status).toBe("applied");
  });

  it(`no decision and nothing for more than ${QUIET_DAYS} days before the archive's newest message: no decision seen, not open`, () => {
    const last = "2019-05-01T00:00:00.000Z";
    expect(workStatus({ postings: [P1], decisions: [], merged: false, lastActivity: last, asOf: day(last, QUIET_DAYS - 1) }).status).toBe("open");
    const r = workStatus({ postings: [P1], decisions: [], merged: false, lastActivity: last, asOf: day(last, QUIET_DAYS + 1) });
    expect(r).toMatchObject({ status: "no-decision", because: { quietDays: QUIET_DAYS + 1, lastActivity: last } });
    // a request for changes is a decision: it stays what it is, however old
    expect(workStatus({ postings: [P1], decisions: [d("changes-requested", last, 1)], merged: false, lastActivity: last, asOf: "2024-01-01" }).status).toBe("changes-requested");
    // unknown dates: open (nothing says it went quiet)
    expect(workStatus({ postings: [P1], decisions: [], merged: false }).status).toBe("open");
  });

  it("a posting a later version replaced, with no decision of its own, is superseded", () => {
    expect(workStatus({ postings: [P1], decisions: [], merged: false, laterVersion: true }).status).toBe("superseded");
    expect(workStatus({ postings: [P1], decisions: [d("changes-requested", "2023-01-03", 1)], merged: false, laterVersion: true }).status).toBe("superseded");
    // its own NAK is what it got
    expect(workStatus({ postings: [P1], decisions: [d("nak", "2023-01-03", 1)], merged: false, laterVersion: true }).status).toBe("nak");
  });

  it("every status it gives is one the filter offers", () => {
    expect(WORK_STATUSES).toEqual(expect.arrayContaining(["open", "changes-requested", "no-decision", "applied", "queued", "nak", "superseded", "withdrawn"]));
  });
});

// Shapes shared by the per-message knowledge analyzers (ideas, decisions, benchmarks).
//
// Every analyzer is pure: one message in, plain structured-clone-safe data out. The caller (the
// ingest pipeline) stores the items with the message id; cross-message work (which proposal an
// idea belongs to, which patch a robot report names, which decision closes which series) happens
// later, from what is stored here.

/** One line the author of the message wrote: not quoted, not part of a diff, diffstat or signature. */
export interface OwnLine {
  /** 1-based line number in the message body (the body tree's 0-based line + 1) */
  line: number;
  text: string;
}

/**
 * What an analyzer reads. `text` is the whole body (the numbering of `ownLines` refers to it);
 * `ownLines` are the author's own lines in body order, blank lines included (they separate
 * paragraphs). Build it with `messageText(body, tree?)` (lib/knowledge/text.ts: the body tree's
 * proseLines, lib/body) — nothing else is needed.
 */
export interface MessageText {
  text: string;
  ownLines: OwnLine[];
}

/** Where an item came from. Every Idea, Decision and Benchmark carries these fields. */
export interface Provenance {
  /**
   * [first, last] 1-based body lines, inclusive. [0, 0] means the item comes from the Subject
   * header alone (an LKP subject line with no matching body line).
   */
  lines: [number, number];
  /** the rule that found it ("cue:how-about", "lkp-table", "trailer:nacked-by", ...) */
  method: string;
  /** 0..1: how sure the rule is (explicit formats ~0.9+, loose prose cues 0.4-0.7) */
  confidence: number;
  /** the matched text as written (the sentence, the table row, the trailer line) */
  quote: string;
}

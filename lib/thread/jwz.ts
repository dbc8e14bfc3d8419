// Display threading for ONE thread, after Jamie Zawinski's algorithm
// (https://www.jwz.org/doc/threading.html), adapted for an archive that shows missing parents.
//
// Steps and the choices made:
//  1. Containers for every msgid seen (messages and everything in their References). Input is
//     processed in date order (null dates last, ties by msgid) so the result does not depend on
//     input order and, in the common case, a message's container has no children yet when it is
//     linked, which makes the loop check O(1).
//     1B: each References chain is linked parent -> child unless the child already has a parent or
//         the link would create a loop. Deviation: only absent (ghost) children are positioned
//         this way; a present message gets its parent from its own References only (1C), so a
//         message without References stays a root even if someone else's References list puts
//         something before it. Display then agrees with the stored parent (parentOf()).
//     1C: the message's own parent is its LAST reference (the one that is not the message
//         itself): an earlier, presumed parent from somebody else's References is dropped. A
//         message without references becomes a root. A link that would create a loop (bogus or
//         cyclic references) is not made; the message then stays a root. Refused links are
//         retried once all messages are in, because later messages may have moved things.
//     parentOf() below is exactly the 1C rule, which the ingester uses to store parent links, so
//     storage and display agree whenever the references are consistent.
//  2. Roots = containers without parent.
//  4. Pruning, deliberately different from JWZ (which removes all empty containers it can):
//     the product shows parents that are referenced but absent as "ghost" messages, so
//       - a ghost with no children is dropped;
//       - a ghost that is the direct parent of at least one present message is KEPT (so the
//         stored parent link, which points at that ghost, is what is displayed);
//       - a ghost whose children are all ghosts is removed and its children take its place
//         (chains of consecutive ghosts collapse to the one nearest the present messages),
//         except for a root ghost with several children, which is kept so the thread stays one
//         tree instead of splitting into several roots.
//  5. Subject grouping, conservative: JWZ merges all roots with the same subject, which would for
//     example hang a "[PATCH v2 0/3] foo" series under "[PATCH 0/3] foo". Here only a root that is
//     a reply by subject ("Re: ...") AND has no references at all (a mailer that dropped the
//     headers) is attached under the earliest non-reply root with the same subject key dated
//     before it (or any such root if its own date is unknown).
//  6. Children are sorted by date, null dates last, ties by msgid; a ghost sorts by its earliest
//     descendant. Roots are sorted the same way.
// Guarantees: terminates on any input (cycles, self references, a References list containing a
// descendant), and every distinct non-ghost input msgid appears exactly once in the output.
// Duplicate msgids in the input: the first non-ghost occurrence (in input order) is used.
// Input entries with ghost=true are placeholders for absent messages (e.g. stored ghost rows):
// they are treated like referenced-but-absent containers (their own `references` are ignored, and
// they are pruned when nothing hangs under them) but keep `message` set to the input entry;
// `ghost` is true either way.
// Everything is iterative (no recursion), so a 10,000-deep reply chain is fine.

import { isReplySubject, threadSubjectKey } from "../mail/subject";

export interface ThreadInput {
  msgid: string;
  references: string[];
  date: string | null;
  subject: string;
  ghost?: boolean;
}

export interface ThreadNode {
  msgid: string;
  ghost: boolean;
  message: ThreadInput | null;
  children: ThreadNode[];
  depth: number;
}

interface Container {
  msgid: string;
  message: ThreadInput | null;
  parent: Container | null;
  children: Set<Container>;
  /** sort key: date in ms, +Infinity when unknown */
  key: number;
  /** a non-ghost input message has this id */
  present: boolean;
}

/** The storage rule: the last reference that is not the message itself, or null. */
export function parentOf(msg: { msgid: string; references: string[] }): string | null {
  const refs = msg.references ?? [];
  for (let i = refs.length - 1; i >= 0; i--) {
    const r = refs[i];
    if (r && r !== msg.msgid) return r;
  }
  return null;
}

function dateKey(date: string | null | undefined): number {
  if (!date) return Number.POSITIVE_INFINITY;
  const t = Date.parse(date);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function isGhost(c: Container): boolean {
  return c.message === null || c.message.ghost === true;
}

function compareContainers(a: Container, b: Container): number {
  if (a.key !== b.key) {
    if (a.key === Number.POSITIVE_INFINITY) return 1;
    if (b.key === Number.POSITIVE_INFINITY) return -1;
    return a.key - b.key;
  }
  return a.msgid < b.msgid ? -1 : a.msgid > b.msgid ? 1 : 0;
}

/** true when `anc` is `node` or one of its ancestors */
function isAncestorOrSelf(anc: Container, node: Container): boolean {
  for (let c: Container | null = node; c !== null; c = c.parent) if (c === anc) return true;
  return false;
}

/** Linking child under parent would create a loop. O(1) when the child has no children. */
function wouldLoop(parent: Container, child: Container): boolean {
  if (parent === child) return true;
  if (child.children.size === 0) return false;
  return isAncestorOrSelf(child, parent);
}

function unlink(c: Container): void {
  if (c.parent) {
    c.parent.children.delete(c);
    c.parent = null;
  }
}

function link(parent: Container, child: Container): void {
  unlink(child);
  child.parent = parent;
  parent.children.add(child);
}

export function buildThreadTree(messages: ThreadInput[]): ThreadNode[] {
  const table = new Map<string, Container>();
  const get = (id: string): Container => {
    let c = table.get(id);
    if (!c) {
      c = { msgid: id, message: null, parent: null, children: new Set(), key: Number.POSITIVE_INFINITY, present: false };
      table.set(id, c);
    }
    return c;
  };

  // de-duplicate: first non-ghost occurrence wins, a ghost entry only when nothing better exists
  const chosen = new Map<string, ThreadInput>();
  for (const m of messages) {
    if (!m || typeof m.msgid !== "string" || m.msgid === "") continue;
    const prev = chosen.get(m.msgid);
    if (!prev || (prev.ghost === true && m.ghost !== true)) chosen.set(m.msgid, m);
  }
  const inputs = [...chosen.values()].map((m) => ({ m, key: dateKey(m.date) }));
  inputs.sort((a, b) => {
    if (a.key !== b.key) {
      if (a.key === Number.POSITIVE_INFINITY) return 1;
      if (b.key === Number.POSITIVE_INFINITY) return -1;
      return a.key - b.key;
    }
    return a.m.msgid < b.m.msgid ? -1 : a.m.msgid > b.m.msgid ? 1 : 0;
  });

  for (const { m } of inputs) if (m.ghost !== true) get(m.msgid).present = true;

  // step 1
  const refused: { self: Container; parent: Container }[] = [];
  for (const { m } of inputs) {
    const self = get(m.msgid);
    self.message = m;
    if (m.ghost === true) continue; // an absent message has no References of its own
    const refs = (m.references ?? []).filter((r) => typeof r === "string" && r !== "" && r !== m.msgid);
    // 1B: link the References chain
    let prev: Container | null = null;
    for (const r of refs) {
      const c = get(r);
      // a present message's parent is decided by its own References only (1C), so that display
      // agrees with parentOf(); chains position the absent (ghost) containers
      if (prev !== null && c.parent === null && !c.present && !wouldLoop(prev, c)) link(prev, c);
      prev = c;
    }
    // 1C: the message's parent is its last reference
    const p = refs.length ? get(refs[refs.length - 1]) : null;
    if (p === null) unlink(self);
    else if (self.parent !== p) {
      if (!wouldLoop(p, self)) link(p, self);
      else refused.push({ self, parent: p });
    }
  }
  // A 1C link refused because of a loop may become possible once later messages moved things
  // around; retry so that display agrees with the stored parent whenever the graph allows it.
  for (let pass = 0; pass < 8 && refused.length > 0; pass++) {
    let progress = false;
    for (let i = refused.length - 1; i >= 0; i--) {
      const { self, parent } = refused[i];
      if (self.parent === parent) {
        refused.splice(i, 1);
        continue;
      }
      if (!wouldLoop(parent, self)) {
        link(parent, self);
        refused.splice(i, 1);
        progress = true;
      }
    }
    if (!progress) break;
  }

  // step 2
  const roots = new Set<Container>();
  for (const c of table.values()) if (c.parent === null) roots.add(c);

  // step 4: prune, children before parents (iterative post-order over every root)
  const order = postOrder(roots);
  for (const c of order) {
    if (!isGhost(c)) continue;
    if (c.children.size === 0) {
      if (c.parent) unlink(c);
      else roots.delete(c);
      continue;
    }
    let presentChild = false;
    for (const k of c.children) {
      if (!isGhost(k)) {
        presentChild = true;
        break;
      }
    }
    if (presentChild) continue;
    if (c.parent === null && c.children.size > 1) continue; // keep the thread in one tree
    const parent = c.parent;
    const kids = [...c.children];
    if (parent) {
      unlink(c);
      for (const k of kids) link(parent, k);
    } else {
      roots.delete(c);
      for (const k of kids) {
        unlink(k);
        roots.add(k);
      }
    }
    c.children.clear();
  }

  // sort keys: present messages by their date, ghosts by their earliest descendant
  for (const c of postOrder(roots)) {
    if (!isGhost(c)) c.key = dateKey(c.message!.date);
    else {
      let k = Number.POSITIVE_INFINITY;
      for (const ch of c.children) if (ch.key < k) k = ch.key;
      c.key = k;
    }
  }

  // step 5 (conservative): reply-subject roots without any references go under the earliest
  // non-reply root with the same subject key
  const rootList = [...roots].sort(compareContainers);
  const bySubject = new Map<string, Container>();
  for (const r of rootList) {
    if (isGhost(r)) continue;
    const subj = r.message!.subject ?? "";
    if (isReplySubject(subj)) continue;
    const key = threadSubjectKey(subj);
    if (key && !bySubject.has(key)) bySubject.set(key, r);
  }
  if (bySubject.size > 0) {
    for (const r of rootList) {
      if (isGhost(r)) continue;
      const m = r.message!;
      const hasRefs = (m.references ?? []).some((x) => x && x !== m.msgid);
      if (hasRefs || !isReplySubject(m.subject ?? "")) continue;
      const target = bySubject.get(threadSubjectKey(m.subject ?? ""));
      if (!target || target === r) continue;
      if (r.key !== Number.POSITIVE_INFINITY && !(target.key <= r.key)) continue;
      if (wouldLoop(target, r)) continue;
      roots.delete(r);
      link(target, r);
    }
  }

  // step 6: build the output, sorted, with depth
  const out: ThreadNode[] = [];
  const sortedRoots = [...roots].sort(compareContainers);
  const stack: { c: Container; node: ThreadNode }[] = [];
  for (const r of sortedRoots) {
    const node = toNode(r, 0);
    out.push(node);
    stack.push({ c: r, node });
  }
  while (stack.length) {
    const { c, node } = stack.pop()!;
    if (c.children.size === 0) continue;
    const kids = [...c.children].sort(compareContainers);
    for (const k of kids) {
      const kn = toNode(k, node.depth + 1);
      node.children.push(kn);
      stack.push({ c: k, node: kn });
    }
  }
  return out;
}

function toNode(c: Container, depth: number): ThreadNode {
  return { msgid: c.msgid, ghost: isGhost(c), message: c.message, children: [], depth };
}

/** Containers reachable from roots, every child before its parent. */
function postOrder(roots: Iterable<Container>): Container[] {
  const out: Container[] = [];
  const stack: { c: Container; expanded: boolean }[] = [];
  for (const r of roots) stack.push({ c: r, expanded: false });
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.expanded) {
      stack.pop();
      out.push(top.c);
      continue;
    }
    top.expanded = true;
    for (const k of top.c.children) stack.push({ c: k, expanded: false });
  }
  return out;
}

/** Depth-first (pre-order) list of the tree, children in their sorted order, depth set. */
export function flattenThread(roots: ThreadNode[]): ThreadNode[] {
  const out: ThreadNode[] = [];
  const stack: { n: ThreadNode; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ n: roots[i], depth: 0 });
  while (stack.length) {
    const { n, depth } = stack.pop()!;
    n.depth = depth;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push({ n: n.children[i], depth: depth + 1 });
  }
  return out;
}

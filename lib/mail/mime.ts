// Everything that is not a single-part text/plain message (multipart/*, text/html, message/*,
// attachments at the root): mailparser's MailParser driven by hand, HTML turned into text, and
// inline *.patch/*.diff parts moved out into attachments.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { MailParser } from "mailparser";
import { htmlToText } from "html-to-text";
import type { AttachmentInfo, ParseProblem } from "./types";
import { LIMITS } from "./limits";
import { addProblem } from "./problems";
import { decodeText } from "./charset";

interface MPTreeNode {
  contentType?: string | false;
  isAttachment?: boolean;
  textContent?: string;
  node?: { filename?: string | false; charset?: string | false };
  children?: MPTreeNode[];
}

interface MPInternals {
  tree?: MPTreeNode | false;
  hasText?: boolean;
  hasHtml?: boolean;
}

interface MPAttachment {
  type: "attachment";
  content: Readable;
  contentType: string;
  contentDisposition?: string;
  filename?: string;
  checksum?: string;
  size?: number;
  headers?: Map<string, unknown>;
  release?: (() => void) | null;
}

interface MPRun {
  text: string;
  html: string;
  hasText: boolean;
  hasHtml: boolean;
  attachments: { meta: MPAttachment; content: Buffer }[];
  tree: MPTreeNode | null;
  errors: string[];
}

function runMailparser(raw: Buffer): Promise<MPRun> {
  return new Promise((resolve) => {
    const parser = new MailParser({
      // HTML is converted here (below) only when there is no text/plain part at all: mailparser
      // would also convert HTML parts that sit next to a text part in multipart/mixed, and it
      // does not convert a non-root HTML part when the only text/plain part is an attachment
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: "sha256",
    });
    const internals = parser as unknown as MPInternals;
    const run: MPRun = { text: "", html: "", hasText: false, hasHtml: false, attachments: [], tree: null, errors: [] };
    let done = false;
    const timer = setTimeout(() => {
      run.errors.push("mailparser did not finish within 60 s");
      parser.destroy();
      finish();
    }, 60_000);
    timer.unref?.();
    function finish() {
      if (done) return;
      done = true;
      clearTimeout(timer);
      run.hasText = !!internals.hasText;
      run.hasHtml = !!internals.hasHtml;
      run.tree = internals.tree || null;
      resolve(run);
    }

    let reading = false;
    const reader = (): void => {
      reading = true;
      for (;;) {
        const data = parser.read() as ({ type: "text"; text?: string; html?: string } | MPAttachment | null);
        if (data === null) {
          reading = false;
          return;
        }
        if (data.type === "text") {
          if (typeof data.text === "string") run.text = data.text;
          if (typeof data.html === "string") run.html = data.html;
          continue;
        }
        if (data.type === "attachment") {
          const att = data;
          const chunks: Buffer[] = [];
          let n = 0;
          att.content.on("readable", () => {
            let chunk: Buffer | null;
            while ((chunk = att.content.read() as Buffer | null) !== null) {
              chunks.push(chunk);
              n += chunk.length;
            }
          });
          att.content.on("end", () => {
            run.attachments.push({ meta: att, content: Buffer.concat(chunks, n) });
            att.release?.();
            reader();
          });
          att.content.on("error", (err: unknown) => run.errors.push(String((err as Error)?.message ?? err)));
          return; // continue reading after this attachment ended
        }
      }
    };

    parser.on("readable", () => {
      if (!reading) reader();
    });
    parser.on("error", (err: unknown) => {
      run.errors.push(String((err as Error)?.message ?? err));
    });
    parser.on("end", finish);
    parser.on("close", finish);
    try {
      parser.end(raw);
    } catch (err) {
      run.errors.push(String((err as Error)?.message ?? err));
      finish();
    }
  });
}

const PATCH_TYPES = new Set(["text/x-patch", "text/x-diff", "text/patch", "text/diff", "application/x-patch", "application/x-diff"]);
const PATCH_NAME = /\.(patch|diff)$/i;

function isPatchPart(contentType: string, filename: string | null): boolean {
  const ct = contentType.toLowerCase();
  if (PATCH_TYPES.has(ct)) return true;
  if (!filename || !PATCH_NAME.test(filename.trim())) return false;
  return ct.startsWith("text/") || ct === "application/octet-stream";
}

function structuredParam(v: unknown, key: string): string | null {
  if (v && typeof v === "object" && "params" in v) {
    const p = (v as { params?: Record<string, unknown> }).params?.[key];
    return typeof p === "string" ? p : null;
  }
  return null;
}

function attachmentText(content: Buffer, charset: string | null, problems: ParseProblem[], label: string): string | null {
  let buf = content;
  if (buf.length > LIMITS.maxAttachmentTextBytes) {
    buf = buf.subarray(0, LIMITS.maxAttachmentTextBytes);
    addProblem(problems, "attachment-text-capped", `${label}: text capped at ${LIMITS.maxAttachmentTextBytes} bytes`);
  }
  let text = decodeText(buf, charset, problems);
  if (text.indexOf("\r") >= 0) text = text.replace(/\r\n/g, "\n");
  if (text.indexOf("\0") >= 0) {
    addProblem(problems, "nul-bytes", `${label}: NUL bytes removed`);
    text = text.replace(/\0/g, "");
  }
  return text;
}

interface BodyResult {
  text: string;
  textFromHtml: boolean;
  attachments: AttachmentInfo[];
  /** mailparser found an HTML body (converted or not) */
  hadHtml: boolean;
}

const VOID_ELEMENTS = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "isindex", "nextid"]);

/** True when more than `max` elements are open at some point (unclosed ones count: html-to-text
 * nests them too). Linear: one pass with indexOf, no regex backtracking. */
function htmlDeeperThan(html: string, max: number): boolean {
  let depth = 0;
  let i = 0;
  const n = html.length;
  for (;;) {
    const lt = html.indexOf("<", i);
    if (lt < 0 || lt + 1 >= n) return false;
    let j = lt + 1;
    const closing = html.charCodeAt(j) === 0x2f; // "/"
    if (closing) j++;
    const nameStart = j;
    while (j < n) {
      const c = html.charCodeAt(j) | 0x20;
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39 && j > nameStart) || (html.charCodeAt(j) === 0x2d && j > nameStart)) j++;
      else break;
    }
    if (j === nameStart) {
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf(">", j);
    if (gt < 0) return false;
    const name = html.slice(nameStart, j).toLowerCase();
    if (closing) depth = Math.max(0, depth - 1);
    else if (!VOID_ELEMENTS.has(name) && html.charCodeAt(gt - 1) !== 0x2f && ++depth > max) return true;
    i = gt + 1;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const BLOCK_TAG = /^\/?(p|div|br|li|tr|h[1-6]|blockquote|pre|table|ul|ol|hr)\b/;

/** A plain tag stripper for HTML that html-to-text must not see (too deep, too long): drops
 * script/style/comments, turns block tags into line breaks, decodes the common entities.
 * Linear in the input (indexOf scanning only). */
function htmlToTextCrude(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    if (lt > i) out.push(html.slice(i, lt));
    if (lower.startsWith("<!--", lt)) {
      const e = html.indexOf("-->", lt + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    const gt = html.indexOf(">", lt + 1);
    if (gt < 0) break;
    const head = lower.slice(lt + 1, Math.min(gt, lt + 12));
    const raw = /^(script|style)\b/.exec(head);
    if (raw) {
      const close = lower.indexOf(`</${raw[1]}`, gt);
      const end = close < 0 ? -1 : html.indexOf(">", close);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (BLOCK_TAG.test(head)) out.push("\n");
    i = gt + 1;
  }
  return out
    .join("")
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
      if (e[0] === "#") {
        const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : "\ufffd";
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export async function parseBodyWithMailparser(raw: Buffer, problems: ParseProblem[]): Promise<BodyResult> {
  const run = await runMailparser(raw);
  for (const e of run.errors) addProblem(problems, "mime-error", e.slice(0, 300));

  let text = run.text;
  let textFromHtml = false;
  if (!run.hasText && run.html) {
    if (run.html.length > LIMITS.maxHtmlToText) {
      addProblem(problems, "html-too-long", `HTML body of ${run.html.length} characters: tags stripped instead of converted`);
      text = htmlToTextCrude(run.html);
      textFromHtml = text.length > 0;
    } else if (htmlDeeperThan(run.html, LIMITS.maxHtmlDepth)) {
      addProblem(problems, "html-too-deep", `HTML nested more than ${LIMITS.maxHtmlDepth} elements deep: tags stripped instead of converted`);
      text = htmlToTextCrude(run.html);
      textFromHtml = text.length > 0;
    } else {
      try {
        text = htmlToText(run.html);
        textFromHtml = text.length > 0;
      } catch (err) {
        addProblem(problems, "mime-error", `HTML to text failed: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
        text = "";
      }
    }
  }
  const attachments: AttachmentInfo[] = [];

  // inline text/plain parts named *.patch / *.diff: mailparser merged them into the text; move them
  // to attachments so patch parsing sees them once, as attachments.
  const stack: MPTreeNode[] = run.tree ? [run.tree] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    const fname = node.node?.filename;
    if (
      node.contentType === "text/plain" &&
      !node.isAttachment &&
      typeof fname === "string" &&
      PATCH_NAME.test(fname.trim()) &&
      typeof node.textContent === "string" &&
      node.textContent.length > 0 &&
      node !== run.tree
    ) {
      const partText = node.textContent;
      const at = text.indexOf(partText);
      if (at >= 0) {
        let start = at;
        let end = at + partText.length;
        if (start > 0 && text[start - 1] === "\n") start--;
        else if (text[end] === "\n") end++;
        text = text.slice(0, start) + text.slice(end);
      }
      const bytes = Buffer.from(partText, "utf8");
      let capped = partText;
      if (bytes.length > LIMITS.maxAttachmentTextBytes) {
        capped = bytes.subarray(0, LIMITS.maxAttachmentTextBytes).toString("utf8");
        addProblem(problems, "attachment-text-capped", `${fname}: text capped at ${LIMITS.maxAttachmentTextBytes} bytes`);
      }
      attachments.push({
        filename: fname,
        contentType: "text/plain",
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        text: capped.replace(/\0/g, ""),
        disposition: "inline",
      });
    }
  }

  for (const { meta, content } of run.attachments) {
    const filename = typeof meta.filename === "string" && meta.filename ? meta.filename : null;
    const contentType = (meta.contentType || "application/octet-stream").toLowerCase();
    const disposition = meta.contentDisposition ? String(meta.contentDisposition).toLowerCase() : null;
    let textOut: string | null = null;
    if (isPatchPart(contentType, filename)) {
      const charset = structuredParam(meta.headers?.get("content-type"), "charset");
      const t = attachmentText(content, charset, problems, filename ?? contentType);
      // octet-stream with a patch name: only when it really is text
      if (t !== null && !(contentType === "application/octet-stream" && content.indexOf(0) >= 0)) textOut = t;
    }
    attachments.push({
      filename,
      contentType,
      size: content.length,
      sha256: meta.checksum && meta.checksum.length === 64 ? meta.checksum : createHash("sha256").update(content).digest("hex"),
      text: textOut,
      disposition,
    });
  }

  return { text, textFromHtml, attachments, hadHtml: run.html.length > 0 };
}

"use client";
// "Copy as Markdown": puts GitHub-flavoured Markdown (lib/markdown) on the clipboard, given as a
// prop or fetched from an API URL with ?format=md when clicked. The Clipboard API first (in a
// secure context); else a hidden textarea selected and document.execCommand("copy"); when
// neither is allowed, the Markdown is shown selected, to copy by hand. Feedback is visible and
// announced (aria-live). Runs under the app's CSP: Next puts the request's nonce on the scripts
// that load this chunk ('strict-dynamic'), and nothing here uses inline styles or eval.
import { useEffect, useRef, useState } from "react";
import "./copy-markdown.css";

type State = { kind: "idle" } | { kind: "busy" } | { kind: "copied" } | { kind: "manual"; text: string } | { kind: "failed"; why: string };

async function fetchMarkdown(src: string): Promise<string> {
  const r = await fetch(src, { headers: { Accept: "text/markdown" }, credentials: "same-origin" });
  const body = await r.text();
  if (!r.ok) {
    let why = `HTTP ${r.status}`;
    try {
      why = (JSON.parse(body) as { detail?: string }).detail ?? why;
    } catch {
      // not JSON
    }
    throw new Error(why);
  }
  return body;
}

/** The textarea fallback: works without the Clipboard API (plain http, older browsers). */
function copyWithTextarea(text: string): boolean {
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  // set through the CSSOM (allowed by the CSP, unlike a style attribute)
  ta.style.position = "fixed";
  ta.style.top = "0";
  ta.style.left = "0";
  ta.style.width = "1px";
  ta.style.height = "1px";
  ta.style.opacity = "0";
  document.body.appendChild(ta);
  const active = document.activeElement as HTMLElement | null;
  ta.focus();
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  active?.focus?.();
  return ok;
}

async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard?.writeText && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // denied (no permission, the page lost focus): try the old way
    }
  }
  return copyWithTextarea(text);
}

export function CopyMarkdown({ markdown, src, label = "Copy as Markdown" }: { markdown?: string; src?: string; label?: string }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const manualRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (state.kind === "copied") {
      const t = setTimeout(() => setState({ kind: "idle" }), 2500);
      return () => clearTimeout(t);
    }
    if (state.kind === "manual") manualRef.current?.select();
  }, [state]);

  async function onClick() {
    if (state.kind === "busy") return;
    setState({ kind: "busy" });
    let text: string;
    try {
      if (markdown !== undefined) text = markdown;
      else if (src) {
        // a fetch may outlast the click's user activation: hand the clipboard a promise (Chrome,
        // Safari) so the write is tied to the click; else fetch first and write after
        if (typeof ClipboardItem !== "undefined" && navigator.clipboard?.write && window.isSecureContext) {
          const pending = fetchMarkdown(src);
          try {
            await navigator.clipboard.write([new ClipboardItem({ "text/plain": pending.then((t) => new Blob([t], { type: "text/plain" })) })]);
            setState({ kind: "copied" });
            return;
          } catch {
            text = await pending;
          }
        } else text = await fetchMarkdown(src);
      } else throw new Error("nothing to copy");
    } catch (e) {
      setState({ kind: "failed", why: (e as Error).message || "could not load the Markdown" });
      return;
    }
    setState((await copyText(text)) ? { kind: "copied" } : { kind: "manual", text });
  }

  const caption = state.kind === "busy" ? "Copying…" : state.kind === "copied" ? "Copied" : label;
  return (
    <span className="copy-md">
      <button type="button" className={`copy-md-button${state.kind === "copied" ? " done" : ""}`} onClick={onClick} aria-busy={state.kind === "busy"} data-state={state.kind}>
        {caption}
      </button>
      <span className={`copy-md-status${state.kind === "failed" ? "" : " sr-only"}`} role="status" aria-live="polite">
        {state.kind === "copied" ? "Markdown copied to the clipboard" : state.kind === "failed" ? `Could not copy: ${state.why}` : ""}
      </span>
      {state.kind === "manual" ? (
        <span className="copy-md-manual">
          <span>The browser did not allow copying; select and copy the Markdown below (Ctrl+C / ⌘C).</span>
          <textarea ref={manualRef} readOnly value={state.text} rows={8} aria-label="Markdown" />
          <button type="button" className="copy-md-close" onClick={() => setState({ kind: "idle" })}>
            Close
          </button>
        </span>
      ) : null}
    </span>
  );
}

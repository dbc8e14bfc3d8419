// How parseMail() reports what was odd about a message: a fatal MailParseError only when the bytes
// are not a message at all, otherwise a ParseProblem noted once and parsing goes on.
import type { ParseProblem } from "./types";

export class MailParseError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MailParseError";
    this.code = code;
  }
}

export function addProblem(problems: ParseProblem[], code: string, detail: string): void {
  for (const p of problems) if (p.code === code && p.detail === detail) return;
  problems.push({ code, detail });
}

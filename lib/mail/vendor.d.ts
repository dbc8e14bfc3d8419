// Minimal typings for libmime (installed with mailparser, ships no types). Only what lib/mail uses.
declare module "libmime" {
  interface StructuredHeader {
    value: string | false;
    params: Record<string, string>;
  }
  interface Libmime {
    decodeWords(str: string): string;
    decodeWord(charset: string, encoding: string, str: string): string;
    decodeFlowed(str: string, delSp?: boolean): string;
    parseHeaderValue(str: string): StructuredHeader;
    normalizeCharset(charset: string): string;
  }
  const libmime: Libmime;
  export default libmime;
}

// html-to-text (installed with mailparser, which uses it the same way; ships no types)
declare module "html-to-text" {
  export function htmlToText(html: string, options?: Record<string, unknown>): string;
}

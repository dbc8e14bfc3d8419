// mdast -> GitHub-flavoured Markdown: the `remark` processor with remark-gfm (tables, task lists,
// strikethrough, autolinks), remark-stringify's escaping for everything in text nodes.
import { remark } from "remark";
import remarkGfm from "remark-gfm";
import type { Root, RootContent } from "mdast";

const processor = remark()
  // tables unpadded: rows stay short however long a cell is
  .use(remarkGfm, { tablePipeAlign: false })
  .data("settings", { bullet: "-", emphasis: "_", strong: "*", fence: "`", fences: true, rule: "-", listItemIndent: "one", incrementListMarker: true })
  .freeze();

export function toMarkdown(nodes: Root | RootContent[]): string {
  const root: Root = Array.isArray(nodes) ? { type: "root", children: nodes } : nodes;
  return processor.stringify(root);
}

/** Markdown back to mdast (GFM), for checks. */
export function parseMarkdown(md: string): Root {
  return processor.runSync(processor.parse(md)) as Root;
}

// lib/code: code history helpers. Pure: which function a hunk heading or a line names, which
// functions a hunk changes, and how /code/<path>/<function> URLs map to files and functions.
// The queries are in lib/views/code-history.ts.

export * from "./functions";
export * from "./paths";

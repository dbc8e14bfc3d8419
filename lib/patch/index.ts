// lib/patch: diffs -> files -> hunks -> lines; diffstat; patch-id; patch mail splitting; interdiff.
// Pure functions (patch-ids hash with node:crypto, nothing else touches the outside world).

export * from "./diff";
export * from "./diffstat";
export * from "./patchid";
export * from "./split";
export * from "./mailinfo";
export * from "./trailers";
export * from "./interdiff";

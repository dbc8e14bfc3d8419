// The one option reader of the benchmark and oracle scripts: `--name value` and bare `--flag`.
// (The patchlore CLI itself uses commander; these scripts take a handful of options each.)
const argv = process.argv.slice(2);

/** the value after --name, or dflt when --name is absent */
export function arg(name: string, dflt: string | null = null): string | null {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? dflt : (argv[i + 1] ?? dflt);
}

/** true when --name is given */
export const flag = (name: string): boolean => argv.includes(`--${name}`);

// `patchlore users ...` and `patchlore tokens ...`: accounts and API tokens from the command line
// (the first account can only be made here: the web app has no sign-up).
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { OpenedDb } from "./postgres/open";
import { ALL_SCOPES, parseScopes, SCOPES } from "../lib/auth/scopes";
import { parseDuration } from "../lib/auth/tokens";
import { passwordProblem } from "../lib/auth/password";
import { AuthError, createToken, createUser, findUserByEmail, listTokens, listUsers, revokeToken, setPassword, setUserDisabled } from "../lib/auth/store";

type WithDb = <T>(fn: (db: OpenedDb) => Promise<T>) => Promise<T>;

const out = (s: string): void => void process.stdout.write(s + "\n");
const err = (s: string): void => void process.stderr.write(s + "\n");

/** Reads all of stdin (for --password-stdin); the trailing newline is not part of the password. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** Asks on the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new AuthError("no terminal to ask for the password on: use --password-stdin");
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let s = "";
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            return resolve(s);
          }
          if (ch === "\u0003") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            return reject(new AuthError("cancelled"));
          }
          if (ch === "\u007f" || ch === "\b") s = s.slice(0, -1);
          else if (ch >= " ") s += ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

async function askPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin();
  for (;;) {
    const p = await promptHidden("password: ");
    const problem = passwordProblem(p);
    if (problem) {
      err(problem);
      continue;
    }
    if ((await promptHidden("again: ")) === p) return p;
    err("the two passwords differ; once more");
  }
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function durationOption(v: string): number | null {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function date(d: Date | null): string {
  return d ? d.toISOString().replace("T", " ").slice(0, 16) : "-";
}

/** Reports AuthError (a mistake of the caller) as one line and exit status 1, without a stack. */
async function friendly(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    err(`patchlore: ${e.message}`);
    process.exitCode = 1;
  }
}

export function registerAuthCommands(program: Command, withDb: WithDb): void {
  const users = program.command("users").description("accounts that may write (sign in on /login, own API tokens); reading needs none");
  users
    .command("add")
    .description("create an account; asks for the password on the terminal, or reads it from stdin with --password-stdin")
    .argument("<email>", "the e-mail address (the login name)")
    .option("--name <name>", "the name shown in the page header")
    .option("--password-stdin", "read the password from standard input (for scripts)")
    .action((email: string, o) =>
      friendly(async () => {
        const password = await askPassword(!!o.passwordStdin);
        await withDb(async (db) => {
          const u = await createUser(db, { email, name: o.name, password });
          out(`created user ${u.id} ${u.email}${u.name ? ` (${u.name})` : ""}`);
        });
      }),
    );
  users
    .command("list")
    .description("every account: id, e-mail, name, created, disabled, active tokens")
    .option("--json", "print JSON")
    .action((o) =>
      withDb(async (db) => {
        const list = await listUsers(db);
        if (o.json) {
          out(JSON.stringify(list, null, 2));
          return;
        }
        for (const u of list) out(`${String(u.id).padStart(4)}  ${u.email}  ${u.name || "-"}  created ${date(u.createdAt)}${u.disabled ? "  DISABLED" : ""}  tokens ${u.activeTokens}`);
        if (!list.length) out("no users (create one with: patchlore users add <email>)");
      }),
    );
  users
    .command("password")
    .description("set a new password (ends the user's sessions)")
    .argument("<email>")
    .option("--password-stdin", "read the password from standard input")
    .action((email: string, o) =>
      friendly(async () => {
        const password = await askPassword(!!o.passwordStdin);
        await withDb(async (db) => {
          await setPassword(db, email, password);
          out(`password of ${email} changed; its sessions ended`);
        });
      }),
    );
  for (const [name, disabled] of [["disable", true], ["enable", false]] as const) {
    users
      .command(name)
      .description(disabled ? "stop an account: its sessions end and its tokens stop working" : "let a disabled account sign in and use its tokens again")
      .argument("<email>")
      .action((email: string) =>
        friendly(() =>
          withDb(async (db) => {
            await setUserDisabled(db, email, disabled);
            out(`${email} ${disabled ? "disabled" : "enabled"}`);
          }),
        ),
      );
  }

  const tokens = program.command("tokens").description(`API tokens (Authorization: Bearer plt_...); scopes: ${ALL_SCOPES.join(", ")}`);
  tokens
    .command("create")
    .description("create a token for a user and print it (once: only its hash is stored)")
    .argument("<email>", "the user the token acts for")
    .option("--scope <scope>", `a scope the token grants, repeatable (${ALL_SCOPES.join(", ")})`, collect)
    .option("--expires <duration>", "e.g. 30d, 12h, 1y, or never (default: 90d)", durationOption)
    .option("--name <name>", "what the token is for", "cli")
    .action((email: string, o) =>
      friendly(() =>
        withDb(async (db) => {
          let scopes;
          try {
            scopes = parseScopes((o.scope as string[] | undefined) ?? []);
          } catch (e) {
            throw new AuthError((e as Error).message);
          }
          if (!scopes.length) throw new AuthError(`give at least one --scope (${Object.entries(SCOPES).map(([k, v]) => `${k}: ${v}`).join("; ")})`);
          const user = await findUserByEmail(db, email);
          if (!user) throw new AuthError(`no user ${email} (create it with: patchlore users add ${email})`);
          const t = await createToken(db, user.id, { name: o.name, scopes, expiresInMs: o.expires === undefined ? parseDuration("90d") : (o.expires as number | null) });
          err(`token ${t.info.id} "${t.info.name}" for ${user.email}: scopes ${t.info.scopes.join(" ")}, expires ${date(t.info.expiresAt)}`);
          err("copy it now, it is not shown again:");
          out(t.token);
        }),
      ),
    );
  tokens
    .command("list")
    .description("tokens (of one user, or everyone's): id, prefix, name, scopes, created, last used, expiry, status")
    .argument("[email]")
    .option("--json", "print JSON")
    .action((email: string | undefined, o) =>
      friendly(() =>
        withDb(async (db) => {
          let userId: number | undefined;
          if (email) {
            const u = await findUserByEmail(db, email);
            if (!u) throw new AuthError(`no user ${email}`);
            userId = u.id;
          }
          const list = await listTokens(db, userId);
          if (o.json) {
            out(JSON.stringify(list, null, 2));
            return;
          }
          for (const t of list) {
            out(
              `${String(t.id).padStart(4)}  ${t.prefix}…  ${t.email}  "${t.name}"  ${t.scopes.join(",")}  created ${date(t.createdAt)}  used ${date(t.lastUsedAt)}  expires ${date(t.expiresAt)}  ${t.status}`,
            );
          }
          if (!list.length) out("no tokens");
        }),
      ),
    );
  tokens
    .command("revoke")
    .description("revoke a token by its id or its prefix (plt_xxxxxxxx)")
    .argument("<id-or-prefix>")
    .action((which: string) =>
      friendly(() =>
        withDb(async (db) => {
          const all = await listTokens(db);
          const hits = /^\d+$/.test(which) ? all.filter((t) => t.id === Number(which)) : all.filter((t) => which.startsWith(t.prefix) || t.prefix === which);
          if (hits.length !== 1) throw new AuthError(hits.length ? `${which} matches ${hits.length} tokens: give the id` : `no token ${which}`);
          await revokeToken(db, hits[0].id);
          out(`token ${hits[0].id} (${hits[0].prefix}…, ${hits[0].email}) revoked`);
        }),
      ),
    );
}

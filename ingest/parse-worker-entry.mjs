// Worker threads start without the parent's TypeScript loader: register tsx here, then load the
// TypeScript worker. (Passing `--import tsx` in the Worker's execArgv is ignored on Node 20.)
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");

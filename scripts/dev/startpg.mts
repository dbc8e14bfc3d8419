import { startEmbedded } from "/work/main/lib/db/embedded";
const s = await startEmbedded({ dataDir: "/tmp/devpg", port: 55432, durable: false });
console.log(s.url);
process.on("SIGTERM", async () => { await s.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);

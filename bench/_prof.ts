import { runIngest } from "./ingest.ts";
const r = await runIngest({ count: 300_000, reps: 1 });
console.table(r.table);

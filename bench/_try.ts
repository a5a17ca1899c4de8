import { runIngest } from "./ingest.ts";
const r = await runIngest({ count: 100_000, reps: 1 });
console.table(r.table);
console.log(JSON.stringify(r.runs.map((x) => [x.variant, x.ratePerS, x.received, x.sent, x.publishMs, x.outcomes]), null, 0));

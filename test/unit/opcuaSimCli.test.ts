/** `npm run sim -- --opcua`: options it refuses, with the usage, before anything starts. */
import { describe, expect, it } from "vitest";
import { runCli } from "../../server/sim/cli.ts";

async function run(argv: string[]) {
  const lines: string[] = [];
  const code = await runCli(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), env: {} });
  return { code, text: lines.join("\n") };
}

describe("sim CLI --opcua", () => {
  it("a port that is not a TCP port is refused with the usage", async () => {
    const r = await run(["--opcua", "--port", "70000"]);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/--port is a TCP port \(1-65535\)\.\nUsage:/);
  });

  it("an unknown option and a missing value are refused", async () => {
    expect((await run(["--opcua", "--colour", "red"])).text).toMatch(/^Unknown option "--colour"\./);
    expect((await run(["--opcua", "--host"])).text).toMatch(/^--host needs a value\./);
  });

  it("a plant folder that cannot be loaded says which and why", async () => {
    const r = await run(["--opcua", "--binding", "--plant", "/nonexistent/plant"]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^Cannot load the plant in \/nonexistent\/plant: .*plant\.json.*file not found/);
  });

  it("--binding prints the endpoint it was given", async () => {
    const r = await run(["--opcua", "--binding", "--host", "sim.local", "--port", "4841"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.text) as { endpoint: string }).endpoint).toBe("opc.tcp://sim.local:4841");
  });
});

/**
 * `npm run sim -- --opcua [--port 4840] [--host 127.0.0.1] [--plant assets/plants/demo] [--binding]`:
 * serve the simulated plant over OPC UA until Ctrl-C (OpcUaSimServer.ts), or with --binding print the
 * plant.json binding that reads every simulated point and exit (docs/PLANT-DATA.md, "OPC UA client").
 */
import os from "node:os";
import path from "node:path";
import { loadPlantDir } from "../plant/loadPlant.ts";
import { OpcUaSimServer, simBinding } from "./OpcUaSimServer.ts";

const OPCUA_USAGE = `Usage:
  npm run sim -- --opcua [--port 4840] [--host 127.0.0.1] [--plant assets/plants/demo]
  npm run sim -- --opcua --binding [--port 4840] [--host 127.0.0.1]   print the plant.json binding and exit`;

export interface OpcUaSimCliDeps {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  /** Resolves when the server should stop (Ctrl-C by default). */
  stopped?: Promise<void>;
}

export async function runOpcUaSim(argv: string[], deps: OpcUaSimCliDeps): Promise<number> {
  let port = 4840;
  let host = "127.0.0.1";
  let plantDir = path.resolve(deps.env["PLANTS_DIR"] || "assets/plants", deps.env["PLANT"] || "demo");
  let bindingOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value.`);
      return v;
    };
    try {
      if (a === "--port") {
        port = Number(value());
        if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error("--port is a TCP port (1-65535).");
      } else if (a === "--host") host = value();
      else if (a === "--plant") plantDir = path.resolve(value());
      else if (a === "--binding") bindingOnly = true;
      else throw new Error(`Unknown option "${a}".`);
    } catch (e) {
      deps.err(`${(e as Error).message}\n${OPCUA_USAGE}`);
      return 2;
    }
  }
  let model;
  try {
    model = (await loadPlantDir(plantDir)).model;
  } catch (e) {
    deps.err(`Cannot load the plant in ${plantDir}: ${(e as Error).message}`);
    return 1;
  }
  const endpoint = `opc.tcp://${host}:${port}`;
  if (bindingOnly) {
    deps.out(JSON.stringify(simBinding(model, endpoint), null, 2));
    return 0;
  }
  const pkiDir = path.join(deps.env["DATA_DIR"] || path.join(os.tmpdir(), "gemba-sim"), "opcua-sim-pki");
  let server: OpcUaSimServer;
  try {
    server = await OpcUaSimServer.start({ model, port, hostname: host, pkiDir });
  } catch (e) {
    deps.err(`Cannot start the OPC UA server on ${endpoint}: ${(e as Error).message}`);
    return 1;
  }
  deps.out(`Simulated plant "${model.name}" served at ${server.endpoint} (namespace urn:gemba:demo-sim).`);
  deps.out(`Point a plant at it with the binding from: npm run sim -- --opcua --binding --port ${port}`);
  await (deps.stopped ??
    new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    }));
  await server.stop();
  return 0;
}

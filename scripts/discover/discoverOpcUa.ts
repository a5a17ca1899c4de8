/**
 * `npm run plant:discover -- --opcua opc.tcp://host:4840`: browse the server with a progress line
 * (nodes browsed, variables found, time), then write the starter plant and say how to check and start it.
 */
import path from "node:path";
import { browseServer, OpcUaBrowseError, type BrowseProgress } from "./OpcUaBrowser.ts";
import type { DiscoverOptions } from "./options.ts";
import { buildOpcUaStarterPlant, DiscoverError, writeStarterPlant } from "./starterPlant.ts";

const progressLine = (p: BrowseProgress) =>
  `${p.browsed} nodes browsed, ${p.variables} variables found, ${(p.elapsedMs / 1000).toFixed(1)} s`;

/** Exit code: 0 written, 1 failed (with one sentence on stderr). */
export async function discoverOpcUa(o: DiscoverOptions & { opcua: string }): Promise<number> {
  const security = o.security.mode === "None" ? "security None" : `security ${o.security.mode} ${o.security.policy}`;
  let user: { username: string; password: string } | undefined;
  if (o.user) {
    const password = process.env[o.user.passwordEnv];
    if (password === undefined) {
      console.error(
        `The password variable ${o.user.passwordEnv} is not set; set it to the password of "${o.user.username}".`,
      );
      return 1;
    }
    user = { username: o.user.username, password };
  }
  console.error(
    `Browsing ${o.opcua} from its Objects folder (${security}, ${user ? `user "${user.username}"` : "anonymous"}); nothing is written to it.`,
  );
  const tty = process.stderr.isTTY;
  let lastShown = 0;
  let last: BrowseProgress | null = null;
  try {
    const browsed = await browseServer(o.opcua, {
      security: o.security,
      ...(user ? { user } : {}),
      maxDepth: o.depth,
      maxNodes: o.maxNodes,
      onProgress: (p) => {
        last = p;
        if (tty) process.stderr.write(`\r${progressLine(p)}`);
        else if (p.elapsedMs - lastShown >= 1000) {
          lastShown = p.elapsedMs;
          process.stderr.write(`${progressLine(p)}\n`);
        }
      },
    });
    if (last) process.stderr.write(`${tty ? "\r" : ""}${progressLine(last)}\n`);
    const starter = buildOpcUaStarterPlant(
      browsed,
      { id: o.id, name: o.name, source: o.opcua, at: Date.now() },
      {
        ...(o.security.mode === "None" ? {} : { security: o.security }),
        ...(o.user ? { user: { type: "username", ...o.user } } : {}),
      },
    );
    const out = path.resolve(o.out);
    writeStarterPlant(out, starter);
    const plant = starter.plant as { twins: unknown[]; areas: unknown[] };
    console.log(
      `Wrote ${out}: ${plant.twins.length} assets in ${plant.areas.length} areas, ${starter.interfaces.length} kinds of asset ` +
        `(models/), one OPC UA binding with ${starter.bound} variables.`,
    );
    for (const n of starter.notes) console.log(`  note: ${n}`);
    if (o.security.mode !== "None")
      console.log(
        "  note: Gemba trusts only server certificates an operator moved into its DATA_DIR/opcua-pki/trusted/certs; " +
          "after the first start, move this server's from DATA_DIR/opcua-pki/rejected.",
      );
    console.log(
      `Check it:  npm run plant:check -- ${o.out}\n` +
        `Start it:  PLANTS_DIR=${path.dirname(o.out)} PLANT=${o.id}${o.user ? ` ${o.user.passwordEnv}=...` : ""} npm start`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof OpcUaBrowseError) && !(e instanceof DiscoverError)) throw e;
    if (tty && last) process.stderr.write("\n");
    console.error(e.message);
    return 1;
  }
}

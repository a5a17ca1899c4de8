/**
 * The zero-setup MQTT broker (aedes, in-process) used when MQTT_URL is not set.
 * Listens on 127.0.0.1 only: it is a local convenience, not a plant broker.
 */
import net from "node:net";
import { Aedes } from "aedes";

export class EmbeddedBroker {
  private aedes: Aedes | null = null;
  private server: net.Server | null = null;
  port = 0;

  async start(port: number, host = "127.0.0.1"): Promise<void> {
    const aedes = await Aedes.createBroker();
    const server = net.createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        reject(
          err.code === "EADDRINUSE"
            ? new Error(
                `port ${port} for the embedded MQTT broker is in use; set MQTT_PORT to a free port, or MQTT_URL to use the broker that is running there.`,
              )
            : err,
        );
      });
      server.listen(port, host, () => resolve());
    });
    this.aedes = aedes;
    this.server = server;
    const addr = server.address();
    this.port = typeof addr === "object" && addr ? addr.port : port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    const a = this.aedes;
    this.server = null;
    this.aedes = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
    if (a) await new Promise<void>((r) => a.close(() => r()));
  }
}

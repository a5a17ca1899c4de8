/**
 * A TCP relay in front of a broker: `cut()` drops every connection through it the way a network
 * fault does (no MQTT DISCONNECT reaches the broker, so it publishes the client's will), while the
 * relay keeps listening, so the client's reconnect succeeds.
 */
import net from "node:net";

export interface TcpRelay {
  url: string;
  cut(): void;
  close(): Promise<void>;
}

export async function tcpRelay(brokerUrl: string): Promise<TcpRelay> {
  const target = new URL(brokerUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((down) => {
    const up = net.connect(Number(target.port || 1883), target.hostname);
    const drop = () => {
      down.destroy();
      up.destroy();
    };
    for (const s of [down, up]) {
      sockets.add(s);
      s.on("error", drop);
      s.on("close", () => {
        sockets.delete(s);
        drop();
      });
    }
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const cut = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    url: `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut,
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}

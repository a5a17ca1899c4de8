/**
 * A TCP port free right now on 127.0.0.1, for a process that must know its
 * address before it listens (a cluster node's PUBLIC_ADDRESS, an OIDC redirect
 * URI registered before the app starts, a private Mosquitto a test may kill).
 */
import net from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

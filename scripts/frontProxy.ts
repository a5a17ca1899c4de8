/**
 * The one address in front of a local cluster: WebSocket upgrades for
 * `/n<i>/<processId>/<roomId>` go to process i (its PUBLIC_ADDRESS is
 * `<this address>/n<i>`, so the SDK's seat reservation names it); every other
 * request (page, API, matchmaking) goes to the next live process in turn. The
 * Host header passes through unchanged, so the server's same-origin check on
 * WebSocket upgrades still holds. For many machines, nginx or HAProxy does the
 * same job (docs/SCALING.md).
 */
import http from "node:http";
import net from "node:net";

export interface Backend {
  index: number;
  port: number;
  alive: boolean;
}

const NODE_PATH = /^\/n(\d+)(?=\/)/;

export function startFrontProxy(
  host: string,
  port: number,
  backends: Backend[],
  log: (m: string) => void,
): Promise<http.Server> {
  let turn = 0;
  const pick = (url: string | undefined): Backend | undefined => {
    const m = NODE_PATH.exec(url ?? "");
    if (m) return backends.find((b) => b.index === Number(m[1]) && b.alive);
    const live = backends.filter((b) => b.alive);
    return live.length ? live[turn++ % live.length] : undefined;
  };

  const server = http.createServer((req, res) => {
    const b = pick(req.url);
    if (!b) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "No Gemba process is running behind this address." }));
      return;
    }
    const upstream = http.request(
      { host: "127.0.0.1", port: b.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", (e) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `Process ${b.index} did not answer: ${e.message}` }));
    });
    req.pipe(upstream);
  });

  server.on("upgrade", (req, socket, head) => {
    const b = pick(req.url);
    if (!b) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\n\r\n");
      return;
    }
    const up = net.connect(b.port, "127.0.0.1", () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    // No Nagle on either leg: room patches are small and latency-sensitive.
    up.setNoDelay(true);
    (socket as net.Socket).setNoDelay(true);
    const close = () => {
      up.destroy();
      socket.destroy();
    };
    up.on("error", (e) => {
      log(`proxy: process ${b.index} refused a room connection: ${e.message}`);
      close();
    });
    socket.on("error", close);
    up.on("close", close);
    socket.on("close", close);
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

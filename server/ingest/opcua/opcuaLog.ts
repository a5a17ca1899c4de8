/**
 * node-opcua writes its own warnings and errors straight to the console in a format of its own
 * ("07:55:01.346Z :client_base_impl :1385 text"), even on a Node version check at start-up. On a server whose log
 * is JSON lines (LOG_FORMAT=json) one such line breaks every log collector downstream, so they go through the
 * server's log instead: `logOpcUaTo(log)` once at start-up; what node-opcua says before that is kept and handed over.
 */
import { setDebugLogger, setErrorLogger, setTraceLogger, setWarningLogger } from "node-opcua-debug";

const MAX_EARLY = 100;
const early: string[] = [];
let sink: ((message: string) => void) | null = null;

function text(args: unknown[]): string {
  return args
    .map((a) => (typeof a === "string" ? a : a instanceof Error ? a.message : JSON.stringify(a)))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

/** node-opcua calls its loggers with its caller context first, then what it prints. */
function forward(kind: "error" | "warning" | "debug") {
  return (_context: unknown, ...args: unknown[]): void => {
    const line = `opcua ${kind}: ${text(args)}`;
    if (sink) sink(line);
    else if (early.length < MAX_EARLY) early.push(line);
  };
}

setErrorLogger(forward("error"));
setWarningLogger(forward("warning"));
setDebugLogger(forward("debug"));
setTraceLogger(forward("debug"));

/** Send node-opcua's messages to the server's log from now on, and the ones it printed before. */
export function logOpcUaTo(log: (message: string) => void): void {
  sink = log;
  for (const line of early.splice(0)) log(line);
}

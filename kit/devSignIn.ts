/**
 * Development sign-in for tests and benches: ask the server for a signed token
 * (POST /api/auth/dev), the way the page does, and an SDK client that sends it.
 */
import { Client } from "@colyseus/sdk";
import "./nodeWebSocket.ts";
import { DevSignIn } from "../shared/auth.ts";

/** http(s)://host:port for a ws(s):// or http(s):// endpoint. */
export function httpBase(endpoint: string): string {
  return endpoint.replace(/^ws/, "http").replace(/\/$/, "");
}

export async function devSignIn(endpoint: string, name: string, role?: string): Promise<DevSignIn> {
  const res = await fetch(`${httpBase(endpoint)}/api/auth/dev`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(role === undefined ? { name } : { name, role }),
  });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`development sign-in as "${name}" failed (${res.status}): ${JSON.stringify(body)}`);
  return DevSignIn.parse(body);
}

export async function devToken(endpoint: string, name: string, role?: string): Promise<string> {
  return (await devSignIn(endpoint, name, role)).token;
}

/** An SDK client signed in (development sign-in) as `name`. */
export async function devClient(endpoint: string, name: string, role?: string): Promise<Client> {
  const client = new Client(endpoint.replace(/^http/, "ws"));
  client.auth.token = await devToken(endpoint, name, role);
  return client;
}

/**
 * Downloads that need the sign-in token (incident reports): a plain link cannot
 * send an Authorization header, so fetch with it and save the answer as a file.
 */
export async function downloadWithToken(url: string, token: string): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    const why = body && typeof body === "object" && "error" in body ? String(body.error) : `HTTP ${res.status}`;
    throw new Error(`Cannot download the report: ${why}`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "report";
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

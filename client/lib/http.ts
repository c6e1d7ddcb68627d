/** JSON over fetch with a plain-language error for anything but 2xx. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<{ ok: true; data: T } | { ok: false; status: number; error: string }> {
  try {
    const res = await fetch(path, { credentials: "same-origin", ...init, headers: { "Content-Type": "application/json", ...init.headers } });
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.ok) return { ok: true, data: body as T };
    return { ok: false, status: res.status, error: (body as { error?: string } | null)?.error ?? "Something went wrong. Please try again." };
  } catch {
    return { ok: false, status: 0, error: "Cannot reach the server. Check your connection and try again." };
  }
}

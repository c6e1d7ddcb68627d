import { api } from "../lib/http";

export const SIGNED_OUT = "Your sign-in has ended. Open your private provider link again to sign in.";

/**
 * Keeps a staff sign-in alive while the dashboard is open: the cookie is
 * short-lived, so the page renews it every `refreshSeconds` (never past the
 * link's expiry; the server decides). When the server says the sign-in has
 * ended, `ended` is called once.
 */
export function keepSignedIn(refreshSeconds: number, ended: () => void) {
  let over = false;
  let lastCheck = 0;
  const check = async (path: string, method: "GET" | "POST") => {
    const res = await api(path, { method });
    if (over || res.ok || res.status !== 401) return;
    over = true;
    ended();
  };
  const timer = setInterval(() => void check("/api/provider/refresh", "POST"), refreshSeconds * 1000);
  return {
    /** The socket keeps failing: a refused upgrade looks the same as a network failure, so ask. */
    verify() {
      if (Date.now() - lastCheck < 10_000) return;
      lastCheck = Date.now();
      void check("/api/provider/me", "GET");
    },
    stop() {
      over = true;
      clearInterval(timer);
    },
  };
}

import { expect, test, type Request } from "@playwright/test";
import { chatBox, checkIn, log, newRoom, openChat, providerLink, send, signInProvider } from "./fixtures";

test("the provider link's secret rides in the fragment only: it leaves the address bar and no request URL carries it", async ({ browser }) => {
  const room = newRoom();
  const link = await providerLink(room);
  const token = link.split("#k=")[1];
  const context = await browser.newContext();
  const requests: Request[] = [];
  const sockets: string[] = [];
  context.on("request", (r) => requests.push(r));
  const provider = await context.newPage();
  provider.on("websocket", (ws) => sockets.push(ws.url()));

  await signInProvider(provider, link);
  expect(provider.url()).not.toContain("#k=");
  expect(provider.url()).not.toContain(token);
  // Signed in by cookie from now on, then chatting: more requests and a second socket.
  await provider.reload();
  await expect(provider.getByRole("heading", { name: "Patient queue" })).toBeVisible();
  const alice = await checkIn(browser, room, "Alice");
  await openChat(provider, "Alice");
  await send(provider, "Hello Alice", chatBox(provider, "Alice"));
  await expect(log(alice)).toContainText("Hello Alice");

  // The token was used once, in a header, which is where it belongs.
  const signIns = requests.filter((r) => new URL(r.url()).pathname === "/api/provider/session");
  expect(signIns).toHaveLength(1);
  expect(await signIns[0].headerValue("authorization")).toBe(`Bearer ${token}`);
  // The page load that had the fragment, and the sockets, are among what was checked.
  expect(requests.filter((r) => new URL(r.url()).pathname === "/provider")).toHaveLength(2);
  expect(sockets.length).toBeGreaterThanOrEqual(2);
  const signature = token.split(".")[2];
  const { host } = new URL(provider.url());
  for (const url of [...requests.map((r) => r.url()), ...sockets]) {
    const { pathname, search } = new URL(url);
    expect(pathname + search).not.toContain(signature);
    // Nothing is fetched from elsewhere, so no other server even sees the page's address.
    expect(new URL(url).host, url).toBe(host);
  }
  for (const r of requests) expect((await r.headerValue("referer")) ?? "", r.url()).not.toContain(signature);
});

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { fileRoutes } from "./routes/files";
import { inviteRoutes } from "./routes/invites";
import { joinRoutes } from "./routes/join";
import { NOT_FOUND_PAGE, pageFor } from "./routes/pages";
import { patientRoutes } from "./routes/patient";
import { providerRoutes } from "./routes/provider";
import { socketRoutes } from "./routes/socket";

export const app = new Hono<{ Bindings: Env }>();

app.use(
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  }),
);

// Pages and API answers may show names; no cache may keep them. Hashed
// assets under /assets/ are code only.
app.use(async (c, next) => {
  await next();
  if (!c.req.path.startsWith("/assets/")) c.header("Cache-Control", "no-store");
});

app.route("/api/rooms/:room", patientRoutes);
app.route("/api/rooms/:room", socketRoutes);
app.route("/api/rooms/:room", fileRoutes);
app.route("/api/provider", providerRoutes);
app.route("/api", inviteRoutes);
app.route("/api", joinRoutes);
// The benchmark's platform floor (bench/peers/bare-room.ts) behind this same
// Worker: only the benchmark's harness binds it, never wrangler.toml.
app.get("/api/bench-bare/:room/ws", (c) => {
  const bare = c.env.BENCH_BARE;
  return bare ? bare.get(bare.idFromName(c.req.param("room"))).fetch(c.req.raw) : c.json({ error: "Not found." }, 404);
});
app.all("/api/*", (c) => c.json({ error: "Not found." }, 404));

// A client's mistake (e.g. a malformed JSON body) stays a 4xx; the input is never echoed.
app.onError((err, c) =>
  err instanceof HTTPException && err.status < 500
    ? c.json({ error: "That request was not valid." }, err.status)
    : c.json({ error: "Something went wrong. Please try again." }, 500),
);

app.get("*", async (c) => {
  const page = pageFor(c.req.path);
  const asset = await c.env.ASSETS.fetch(new Request(new URL(page ?? NOT_FOUND_PAGE, c.req.url), c.req.raw));
  // Asset responses have immutable headers; copy so the middleware can add ours.
  return new Response(asset.body, page ? asset : { status: 404, headers: asset.headers });
});

import Fastify, { type FastifyInstance } from "fastify";
import type { AdapterCredentials, InboundEvent, MarketplaceAdapter, PushVerification } from "../adapter.ts";
import type { EncodedPush } from "../simulator/personality.ts";

/**
 * A stand-in for Yunxi's push endpoint: `POST /connect/<platform>/<storeKey>`
 * verifies with the adapter over the raw body, answers the adapter's
 * acknowledgement (or 401 with the refusal), and records what it saw.
 */

export interface PushOutcome {
  status: number;
  body: string;
  verification: PushVerification;
}

export interface Receiver {
  url: string;
  /** Every accepted event, in arrival order. */
  events: InboundEvent[];
  outcomes: PushOutcome[];
  /** POST one encoded push over HTTP, as the platform would. */
  deliver(push: EncodedPush): Promise<PushOutcome>;
  close(): Promise<void>;
}

export async function startReceiver(
  adapter: MarketplaceAdapter,
  credentials: AdapterCredentials,
  now: () => Date,
): Promise<Receiver> {
  const app: FastifyInstance = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  const events: InboundEvent[] = [];
  const outcomes: PushOutcome[] = [];
  app.post("/connect/:platform/:storeKey", async (request, reply) => {
    const verification = adapter.verifyPush(
      {
        headers: request.headers as Record<string, string | undefined>,
        query: request.query as Record<string, string | undefined>,
        rawBody: typeof request.body === "string" ? request.body : "",
      },
      credentials,
      now(),
    );
    if (!verification.ok) {
      const body = JSON.stringify({ error: { code: verification.reason, message: verification.message } });
      outcomes.push({ status: 401, body, verification });
      return reply.code(401).type("application/json").send(body);
    }
    events.push(...verification.events);
    const ack = adapter.acknowledgePush();
    outcomes.push({ status: ack.status, body: ack.body, verification });
    return reply.code(ack.status).type(ack.contentType).send(ack.body);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  return {
    url,
    events,
    outcomes,
    async deliver(push) {
      const before = outcomes.length;
      const response = await fetch(`${url}${push.path}?${new URLSearchParams(push.query).toString()}`, {
        method: "POST",
        headers: push.headers,
        body: push.body,
      });
      const body = await response.text();
      const outcome = outcomes[before];
      if (!outcome) throw new Error(`the push reached no verifier (HTTP ${response.status}: ${body})`);
      return { ...outcome, status: response.status, body };
    },
    close: () => app.close(),
  };
}

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { Redis } from "ioredis";
import { installAnalytics } from "./modules/analytics/index.ts";
import { installAutoReply } from "./modules/assist/autoreply/index.ts";
import { assistRoutes } from "./modules/assist/index.ts";
import { knowledgeRoutes } from "./modules/assist/kb/index.ts";
import { libraryCategoryRoutes } from "./modules/assist/library/index.ts";
import { installLlm } from "./modules/assist/llm/index.ts";
import { recommendationRoutes } from "./modules/assist/recommend/index.ts";
import { cannedReplyRoutes } from "./modules/assist/replies/index.ts";
import { ownChannelRoutes } from "./modules/channels/index.ts";
import { outboundRefusal, pushRoutes, registerDelivery, testSendRoutes } from "./modules/connect/index.ts";
import { customerRoutes } from "./modules/customers/index.ts";
import { identityRoutes, installAuthHook } from "./modules/identity/index.ts";
import {
  conversationBuyer,
  customerConversations,
  followCustomerLinksInInbox,
  inboxRoutes,
  lastMessageTimes,
  registerWorkspace,
  retriageCustomer,
  scheduleWorkspaceSweep,
  workspaceRoutes,
} from "./modules/inbox/index.ts";
import { followCustomerLinksInOrders, orderRoutes, presentedCustomerOrders } from "./modules/orders/index.ts";
import { type RealtimeGateway, startGateway } from "./modules/realtime/index.ts";
import {
  assertStoresInOrg,
  registerAuthorizationSweep,
  scheduleSweep,
  storeRoutes,
  storeSendability,
} from "./modules/stores/index.ts";
import { type Config, loadConfig } from "./platform/config.ts";
import type { AppContext } from "./platform/context.ts";
import { loadMasterKey, Vault } from "./platform/crypto.ts";
import { openDatabase } from "./platform/db/client.ts";
import { EventBus } from "./platform/events/log.ts";
import { installErrorHandler } from "./platform/http/errors.ts";
import { healthRoutes } from "./platform/http/health.ts";
import { serveWeb } from "./platform/http/web.ts";
import { JobRunner } from "./platform/jobs/queue.ts";
import { createLogger } from "./platform/logger.ts";
import { createMetrics } from "./platform/metrics.ts";

export interface YunxiServer {
  app: FastifyInstance;
  ctx: AppContext;
  gateway: RealtimeGateway;
  /** Listen on the configured host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful: stop accepting, finish in-flight requests and jobs, then close the database. */
  close(): Promise<void>;
}

const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");

/** Everything modules stand on, without HTTP: used by the server, the CLI and tests. */
export async function createContext(
  config: Config,
  options: { now?: () => Date } = {},
): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const log = createLogger(config);
  const metrics = createMetrics();
  const vault = new Vault(loadMasterKey(config.secretKey, config.dataDir));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const jobs = new JobRunner({
    db: database.db,
    log,
    metrics,
    concurrency: config.workerConcurrency,
    singleProcess: database.kind === "pglite",
  });
  const ctx: AppContext = {
    config,
    db: database.db,
    dbKind: database.kind,
    log,
    metrics,
    vault,
    jobs,
    bus: new EventBus(),
    now: options.now ?? (() => new Date()),
  };
  // When customers are linked, conversations and orders follow their buyer's identity.
  followCustomerLinksInInbox();
  followCustomerLinksInOrders();
  return { ctx, close: () => database.close() };
}

/** The composition root: config → db → bus → modules → http. */
export async function createServer(config: Config, options: { now?: () => Date } = {}): Promise<YunxiServer> {
  const { ctx, close: closeDatabase } = await createContext(config, options);
  const { log, jobs } = ctx;

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request info logs would dominate a push storm; failures are logged by the onResponse hook.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    ...(config.redisUrl && { redis: new Redis(config.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1 }) }),
  });
  await app.register(fastifySwagger, {
    openapi: { info: { title: "云席 Yunxi API", version: "0.1.0" } },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  installErrorHandler(app);
  installAuthHook(app, ctx);
  app.addHook("onResponse", async (request, reply) => {
    if (reply.statusCode >= 500) request.log.warn({ url: request.url, status: reply.statusCode }, "request failed");
  });

  let shuttingDown = false;
  healthRoutes(app, ctx, () => shuttingDown);
  identityRoutes(app, ctx, { assertStoresInOrg });
  storeRoutes(app, ctx, { lastMessageTimes: (orgId) => lastMessageTimes(ctx.db, orgId) });
  inboxRoutes(app, ctx, {
    storeOf: storeSendability,
    outboundRefusal,
  });
  workspaceRoutes(app, ctx);
  orderRoutes(app, ctx, { conversationBuyer });
  assistRoutes(app, ctx);
  installAutoReply(app, ctx);
  installLlm(app, ctx);
  libraryCategoryRoutes(app, ctx);
  await app.register(async (scope) =>
    cannedReplyRoutes(scope, ctx, { conversationBuyer, customerOrders: presentedCustomerOrders }),
  );
  await app.register(async (scope) => knowledgeRoutes(scope, ctx, { conversationBuyer }));
  recommendationRoutes(app, ctx);
  customerRoutes(app, ctx, {
    conversationBuyer,
    customerConversations,
    customerOrders: presentedCustomerOrders,
    tagsChanged: async (orgId, customerId) => {
      await retriageCustomer(ctx, orgId, customerId);
    },
  });
  await installAnalytics(app, ctx);
  testSendRoutes(app, ctx);
  await app.register(async (scope) => pushRoutes(scope, ctx));
  const ownChannels = await ownChannelRoutes(app, ctx);
  await serveWeb(app, config.webDist ?? (fs.existsSync(defaultWebDist) ? defaultWebDist : undefined));

  registerDelivery(ctx);
  registerAuthorizationSweep(ctx);
  const unwatchAccess = registerWorkspace(ctx);
  await app.ready();
  const gateway = startGateway(app, ctx);
  await ownChannels.start(gateway.io);
  if (config.workerConcurrency > 0) {
    await scheduleSweep(ctx);
    await scheduleWorkspaceSweep(ctx);
  }
  jobs.start();

  return {
    app,
    ctx,
    gateway,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      return `http://${config.host}:${port}`;
    },
    async close() {
      shuttingDown = true;
      // Realtime connections would keep the HTTP server open: drop them first (clients
      // reconnect, to another node if there is one). Then Fastify answers new requests
      // 503 with Connection: close — so platforms pushing over keep-alive connections let
      // go — while in-flight requests finish. Then jobs finish, and only then the database.
      gateway.io.engine.close();
      await app.close();
      await jobs.stop();
      unwatchAccess();
      await gateway.close();
      await closeDatabase();
    },
  };
}

/** Run as a process: exit cleanly on SIGTERM/SIGINT after in-flight work is done. */
export async function runServer(config: Config = loadConfig()): Promise<YunxiServer> {
  const server = await createServer(config);
  const url = await server.listen();
  server.ctx.log.info({ url, database: server.ctx.dbKind }, "Yunxi is listening");
  let closing = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      server.ctx.log.info({ signal }, "shutting down");
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          server.ctx.log.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
  return server;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runServer().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

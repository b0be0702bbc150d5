import { createRng, deriveSeed, type Rng } from "../prng.ts";
import { type MailWorld, startMailWorld } from "./mail-buyers.ts";
import { followUp, openingQuestion } from "./questions.ts";
import { type SimVisitor, startVisitor } from "./webchat-visitor.ts";

export interface OwnChannelCrowdOptions {
  /** Yunxi's base URL (widget API and socket). */
  yunxiUrl: string;
  seed?: number;
  /** New shoppers per minute, split between the channels configured. */
  ratePerMinute?: number;
  /** How long a shopper waits for an answer before leaving. */
  patienceMs?: number;
  webchat?: { storeKey: string };
  email?: { mailbox: string; yunxiSmtp: { host: string; port: number }; relayPort?: number };
}

/** What one shopper experienced, from their side: when they asked and whether and when an answer came. */
export interface ShopperRecord {
  channel: "webchat" | "email";
  /** The name Yunxi shows for them (the visitor's 访客 name, the mail's From name). */
  shopper: string;
  intent: string;
  question: string;
  askedAt: Date;
  answeredAt: Date | null;
  followedUp: boolean;
  left: boolean;
}

export interface OwnChannelCrowd {
  /** The mail provider's port when e-mail is played: the e-mail store's SMTP relay. */
  readonly relayPort: number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  setRate(ratePerMinute: number): void;
  /** One shopper now (tests, the control page); resolves once they have asked. */
  visit(text?: string): Promise<ShopperRecord>;
  mail(text?: string): Promise<ShopperRecord>;
  records(): ShopperRecord[];
}

/**
 * Web-chat visitors and e-mail buyers for the demo and tests: they arrive at
 * random (Poisson, seeded), ask a question from the simulator's phrase bank over
 * the real widget API or real SMTP, wait for an answer, sometimes follow up, and
 * leave when nobody answers in time. Standalone: the simulator or the demo starts
 * it beside the marketplace traffic.
 */
export function createOwnChannelCrowd(options: OwnChannelCrowdOptions): OwnChannelCrowd {
  const rng: Rng = createRng(deriveSeed(options.seed ?? 1, 41));
  const patience = options.patienceMs ?? 120_000;
  const records: ShopperRecord[] = [];
  const visitors = new Set<SimVisitor>();
  let mailWorld: MailWorld | undefined;
  let rate = options.ratePerMinute ?? 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let mailCount = 0;

  const webchatVisit = async (text?: string): Promise<ShopperRecord> => {
    if (!options.webchat) throw new Error("no web chat store configured");
    const visitor = await startVisitor(options.yunxiUrl, options.webchat.storeKey);
    visitors.add(visitor);
    const question = text ? { intent: "手动", text } : openingQuestion(rng);
    const record: ShopperRecord = {
      channel: "webchat",
      shopper: visitor.name,
      ...{ intent: question.intent, question: question.text },
      askedAt: new Date(),
      answeredAt: null,
      followedUp: false,
      left: false,
    };
    records.push(record);
    await visitor.say(question.text);
    void (async () => {
      const reply = await visitor.nextReply(patience);
      record.answeredAt = reply ? new Date() : null;
      if (reply && rng.chance(0.5)) {
        record.followedUp = true;
        await visitor.say(followUp(rng));
        await visitor.nextReply(patience);
      }
      record.left = reply === null;
      visitor.close();
      visitors.delete(visitor);
    })().catch(() => visitor.close());
    return record;
  };

  const mailVisit = async (text?: string): Promise<ShopperRecord> => {
    if (!mailWorld) throw new Error("no e-mail store configured, or the crowd is not started");
    const world = mailWorld;
    const n = ++mailCount;
    const address = `buyer${n}.${rng.int(100, 999)}@mail.buyer.test`;
    const question = text ? { intent: "手动", text } : openingQuestion(rng);
    const record: ShopperRecord = {
      channel: "email",
      shopper: `邮件顾客${n}`,
      intent: question.intent,
      question: question.text,
      askedAt: new Date(),
      answeredAt: null,
      followedUp: false,
      left: false,
    };
    records.push(record);
    await world.write({ from: address, name: record.shopper, subject: question.intent, text: question.text });
    void (async () => {
      const reply = await world.nextMailFor(address, patience);
      record.answeredAt = reply ? new Date() : null;
      if (reply && rng.chance(0.5)) {
        record.followedUp = true;
        await world.reply(reply, address, followUp(rng));
      }
      record.left = reply === null;
    })().catch(() => undefined);
    return record;
  };

  const schedule = () => {
    if (!running || rate <= 0) return;
    timer = setTimeout(
      () => {
        const channels = [options.webchat && webchatVisit, options.email && mailVisit].filter((c) => !!c);
        if (channels.length > 0)
          void rng
            .pick(channels)()
            .catch(() => undefined);
        schedule();
      },
      rng.exponential(60_000 / rate),
    );
    timer.unref();
  };

  return {
    get relayPort() {
      return mailWorld?.relayPort;
    },
    async start() {
      if (running) return;
      running = true;
      if (options.email) mailWorld = await startMailWorld(options.email);
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      for (const v of visitors) v.close();
      visitors.clear();
      await mailWorld?.close();
      mailWorld = undefined;
    },
    setRate(next) {
      rate = Math.max(0, next);
      clearTimeout(timer);
      schedule();
    },
    visit: webchatVisit,
    mail: mailVisit,
    records: () => [...records],
  };
}

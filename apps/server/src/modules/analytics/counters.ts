/**
 * The counters of a rollup row, in one list: the tables, the fact computation, the
 * rollup statements and the KPI formulas all take their columns from here, so a
 * counter is added in one place. docs/metrics.md defines each one.
 *
 * `at` says which instant a unit is counted at (its minute bucket), `who` which
 * agent it is attributed to:
 * - owner: the conversation's assignee, else the last agent who replied, else nobody;
 * - responder: the agent whose reply answered (nobody for a bot), else the owner;
 * - sender: the agent who sent the message.
 */
export const counterDefs = [
  // Volume
  { name: "inboundMsgs", column: "inbound_msgs", agg: "sum", doc: "buyer messages; at: sent; who: owner" },
  { name: "humanMsgs", column: "human_msgs", agg: "sum", doc: "agent replies that reached the buyer; who: sender" },
  { name: "botMsgs", column: "bot_msgs", agg: "sum", doc: "bot replies that reached the buyer" },
  { name: "conversations", column: "conversations", agg: "sum", doc: "at the first buyer message; who: owner" },
  { name: "handled", column: "handled", agg: "sum", doc: "per agent and conversation, at the agent's first reply" },
  // Rounds (Yunxi uniform; only rounds starting within the store's business hours)
  { name: "rounds", column: "rounds", agg: "sum", doc: "at round start; who: responder" },
  { name: "roundsAnswered", column: "rounds_answered", agg: "sum", doc: "rounds with a reply (human or bot)" },
  { name: "rounds3m", column: "rounds_3m", agg: "sum", doc: "rounds answered within 180 s" },
  { name: "rounds1h", column: "rounds_1h", agg: "sum", doc: "rounds answered within 3600 s" },
  { name: "responseMsSum", column: "response_ms_sum", agg: "sum", doc: "sum of round response times" },
  { name: "responseMsMax", column: "response_ms_max", agg: "max", doc: "longest round response time" },
  { name: "botRounds", column: "bot_rounds", agg: "sum", doc: "rounds whose first reply was the bot's" },
  // First response (per conversation starting within business hours)
  { name: "firstResponses", column: "first_responses", agg: "sum", doc: "conversations with a first reply" },
  { name: "firstResponseMsSum", column: "first_response_ms_sum", agg: "sum", doc: "sum of first response times" },
  { name: "firstResponseMsMax", column: "first_response_ms_max", agg: "max", doc: "longest first response time" },
  // A human (人工)
  { name: "humanNeeded", column: "human_needed", agg: "sum", doc: "conversations that reached a human" },
  { name: "humanAnswered", column: "human_answered", agg: "sum", doc: "… answered by a human" },
  { name: "humanAnswered3m", column: "human_answered_3m", agg: "sum", doc: "… within 180 s" },
  { name: "humanResponseMsSum", column: "human_response_ms_sum", agg: "sum", doc: "sum of human response times" },
  // The bot
  { name: "botConversations", column: "bot_conversations", agg: "sum", doc: "conversations the bot replied in" },
  { name: "handovers", column: "handovers", agg: "sum", doc: "… of which reached a human" },
  // Resolution and quality
  { name: "resolved", column: "resolved", agg: "sum", doc: "at resolution; who: owner" },
  { name: "resolutionMsSum", column: "resolution_ms_sum", agg: "sum", doc: "first buyer message → resolved" },
  { name: "resolutionMsMax", column: "resolution_ms_max", agg: "max", doc: "longest resolution time" },
  {
    name: "complaints",
    column: "complaints",
    agg: "sum",
    doc: "conversations tagged 投诉; at the first buyer message",
  },
  { name: "slaBreaches", column: "sla_breaches", agg: "sum", doc: "missed SLA targets; at the breach; who: assignee" },
  { name: "qcChecked", column: "qc_checked", agg: "sum", doc: "resolved conversations with a human reply" },
  { name: "qcScoreSum", column: "qc_score_sum", agg: "sum", doc: "sum of their quality scores" },
  { name: "qcAlerts", column: "qc_alerts", agg: "sum", doc: "… with a warning or critical finding" },
  // Evaluations (评价)
  { name: "evaluations", column: "evaluations", agg: "sum", doc: "ratings; at the rating" },
  { name: "evalScoreSum", column: "eval_score_sum", agg: "sum", doc: "sum of scores 1…5" },
  { name: "evalSatisfied", column: "eval_satisfied", agg: "sum", doc: "ratings of 4 or 5" },
  // Yunxi's own satisfaction survey (one per resolved conversation; who: its owner at resolution)
  { name: "surveysSent", column: "surveys_sent", agg: "sum", doc: "survey invitations; at the invitation" },
  { name: "surveyResponses", column: "survey_responses", agg: "sum", doc: "survey answers; at the answer" },
  { name: "surveyScoreSum", column: "survey_score_sum", agg: "sum", doc: "sum of answered scores 1…5" },
  { name: "surveySatisfied", column: "survey_satisfied", agg: "sum", doc: "answers of 4 or 5" },
  // Buyers (unit: buyer × store × local day)
  { name: "consultBuyers", column: "consult_buyers", agg: "sum", doc: "buyer-days with a buyer message" },
  { name: "convertedBuyers", column: "converted_buyers", agg: "sum", doc: "… who paid within the window" },
  { name: "convertedCents", column: "converted_cents", agg: "sum", doc: "what they paid, in fen" },
  // Orders
  { name: "paidOrders", column: "paid_orders", agg: "sum", doc: "orders paid; at payment" },
  { name: "repeatOrders", column: "repeat_orders", agg: "sum", doc: "… by a buyer who had paid before" },
  { name: "paidCents", column: "paid_cents", agg: "sum", doc: "their totals, in fen" },
  // Each platform's own variant
  { name: "tbRounds", column: "tb_rounds", agg: "sum", doc: "淘宝: rounds starting 08:00–24:00" },
  { name: "tbRounds3m", column: "tb_rounds_3m", agg: "sum", doc: "… answered within 3 min, bot counts" },
  { name: "jdSessions", column: "jd_sessions", agg: "sum", doc: "京东: conversations started 09:00–23:00" },
  { name: "jdFirst30s", column: "jd_first_30s", agg: "sum", doc: "… first human reply within 30 s" },
  { name: "jdResponses", column: "jd_responses", agg: "sum", doc: "… their rounds answered by a human" },
  { name: "jdResponseMsSum", column: "jd_response_ms_sum", agg: "sum", doc: "… sum of those response times" },
  { name: "pddBuyers", column: "pdd_buyers", agg: "sum", doc: "拼多多: buyer-days writing 08:00–23:00" },
  { name: "pddInvalid", column: "pdd_invalid", agg: "sum", doc: "… with a message unanswered or after 1 h" },
  { name: "dyConversations", column: "dy_conversations", agg: "sum", doc: "抖音: reached a human 08:00–22:59:59" },
  { name: "dyHuman3m", column: "dy_human_3m", agg: "sum", doc: "… human reply within 3 min" },
  { name: "ksBuyers", column: "ks_buyers", agg: "sum", doc: "快手: buyer-days reaching a human 08:00–23:00" },
  { name: "ksMissed3m", column: "ks_missed_3m", agg: "sum", doc: "… left waiting 3 min for a human" },
] as const;

export type CounterName = (typeof counterDefs)[number]["name"];
export type Counters = Record<CounterName, number>;

export const counterNames: CounterName[] = counterDefs.map((c) => c.name);
export const counterColumn = Object.fromEntries(counterDefs.map((c) => [c.name, c.column])) as Record<
  CounterName,
  string
>;

export const zeroCounters = (): Counters => Object.fromEntries(counterNames.map((n) => [n, 0])) as Counters;

export const isMaxCounter = (name: CounterName): boolean => counterDefs.find((c) => c.name === name)?.agg === "max";

/** Times in ms and amounts in fen outgrow 32 bits (bigint columns); counts do not (integer). */
export const isWideCounter = (name: CounterName): boolean => /Ms|Cents/.test(name);

/**
 * The SQL aggregate of each counter over rows aliased `alias`: max for maxima, else sum.
 * A bigint column is summed as float8 (exact below 2^53) because PostgreSQL sums bigint
 * as numeric, several times slower over the dozens of columns a KPI query adds up.
 */
export function counterAggregates(alias: string, named = true, only?: readonly CounterName[]): string {
  return counterDefs
    .filter((d) => !only || only.includes(d.name))
    .map((d) => {
      const column = `${alias}.${d.column}`;
      const expr =
        d.agg === "max" ? `max(${column})` : isWideCounter(d.name) ? `sum(${column}::float8)::int8` : `sum(${column})`;
      return named ? `${expr} AS ${d.column}` : expr;
    })
    .join(", ");
}

/** Add `b` into `a`: sums add, maxima take the larger. */
export function addCounters(a: Counters, b: Partial<Counters>): Counters {
  for (const def of counterDefs) {
    const v = b[def.name];
    if (v === undefined || v === 0) continue;
    a[def.name] = def.agg === "max" ? Math.max(a[def.name], v) : a[def.name] + v;
  }
  return a;
}

export const isZero = (c: Counters): boolean => counterNames.every((n) => c[n] === 0);

import type { Conversation } from "@yunxi/contracts";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { formatCountdown, slaCountdown } from "./sla.ts";

type Props = {
  conversation: Conversation;
  now: number;
  /** Flag targets missed earlier (the list); the thread header lists them as tags instead. */
  showMissed?: boolean;
};

/** Time left to the next SLA target (`首响 2:35`), orange when due soon, red and counting up when missed. */
export function SlaCountdown({ conversation, now, showMissed = true }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const countdown = slaCountdown(conversation, now);
  const { breaches } = conversation.sla;
  // A target missed earlier stays flagged while the next one counts down.
  const missed =
    showMissed && breaches.length > 0 && countdown.state !== "breached" ? (
      <span
        className="sla-missed"
        data-testid="sla-missed"
        title={breaches.map((kind) => t("sla.breach", { kind: t(`sla.kind.${kind}`) })).join("、")}
      >
        {t("sla.missed")}
      </span>
    ) : null;
  if (countdown.state === "none" || !countdown.kind || countdown.dueAt === null) return missed;
  const kind = t(`sla.kind.${countdown.kind}`);
  const time = formatCountdown(countdown.remainingMs, t);
  const text = countdown.state === "breached" ? t("sla.overdue", { kind, time }) : t("sla.remaining", { kind, time });
  return (
    <>
      {missed}
      <span
        className={`sla-countdown sla-${countdown.state}`}
        data-testid="sla-countdown"
        data-sla-state={countdown.state}
        title={t("sla.dueAt", { kind, time: formatDateTime(new Date(countdown.dueAt).toISOString(), locale) })}
      >
        {text}
      </span>
    </>
  );
}

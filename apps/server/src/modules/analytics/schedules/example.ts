import type { AppContext } from "../../../platform/context.ts";
import { actorOfUser, listUsers } from "../../identity/index.ts";
import { createSchedule, setMailSettings } from "./service.ts";

/**
 * The demo's example: reports go out through the given relay (the simulator's mail
 * provider), and 每日运营日报 is sent at 09:00 to the operations mailbox, created by
 * the org's owner so that it shows the whole org. Done through the same service
 * calls (checks, audit) as a user's.
 */
export async function seedExampleSchedule(
  ctx: AppContext,
  orgId: string,
  relay: { host: string; port: number },
  recipient = "ops@yunxi.local",
): Promise<string> {
  const owner = (await listUsers(ctx.db, orgId)).find((u) => u.role === "owner" || u.role === "admin");
  const actor = owner ? await actorOfUser(ctx.db, orgId, owner.id) : null;
  if (!actor) throw new Error("The demo org has no owner to schedule its report");
  await setMailSettings(ctx, actor, {
    host: relay.host,
    port: relay.port,
    secure: false,
    user: null,
    password: null,
    from: "reports@yunxi.local",
  });
  const { schedule } = await createSchedule(ctx, actor, {
    name: "每日运营日报",
    kind: "overview",
    filters: {},
    cadence: "daily",
    time: "09:00",
    weekday: null,
    dayOfMonth: null,
    formats: ["xlsx"],
    recipients: [recipient],
    webhookUrl: null,
    enabled: true,
  });
  return schedule.id;
}

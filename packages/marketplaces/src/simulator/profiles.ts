import { PlatformId } from "@yunxi/contracts";
import { z } from "zod";
import type { TopicKind } from "./phrases.ts";

/**
 * Traffic profiles: how the arrival rate and the mix (which platform, which
 * kind of question) change over a run. Phase lengths are simulated time (the
 * world's time scale shortens them, so Double 11 at 60× peaks for four
 * minutes). The base rate and a mix override can be changed at runtime.
 */

export const profileNames = ["steady", "livestream", "double11"] as const;
export type ProfileName = (typeof profileNames)[number];
export const ProfileName = z.enum(profileNames);

export interface ProfilePhase {
  label: string;
  /** Simulated ms; the last phase lasts forever. */
  durationMs: number;
  /** Multiplies the base rate. */
  rate: number;
  /** Multiplies each platform's weight (1 when absent). */
  platforms?: Partial<Record<PlatformId, number>>;
  /** The inquiry mix in this phase (the default mix when absent). */
  kinds?: Record<TopicKind, number>;
}

export interface Profile {
  name: ProfileName;
  label: string;
  phases: readonly ProfilePhase[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const defaultKinds: Record<TopicKind, number> = {
  presale: 0.45,
  logistics: 0.25,
  aftersale: 0.2,
  complaint: 0.1,
};

export const profiles: Record<ProfileName, Profile> = {
  steady: { name: "steady", label: "平日", phases: [{ label: "平日", durationMs: Number.POSITIVE_INFINITY, rate: 1 }] },
  livestream: {
    name: "livestream",
    label: "抖音直播",
    phases: [
      { label: "开播前", durationMs: 15 * MINUTE, rate: 1 },
      {
        label: "直播中",
        durationMs: HOUR,
        rate: 4,
        platforms: { douyin: 12 },
        kinds: { presale: 0.72, logistics: 0.16, aftersale: 0.07, complaint: 0.05 },
      },
      { label: "下播后", durationMs: 30 * MINUTE, rate: 1.5, platforms: { douyin: 3 } },
      { label: "平日", durationMs: Number.POSITIVE_INFINITY, rate: 1 },
    ],
  },
  double11: {
    name: "double11",
    label: "双十一",
    phases: [
      {
        label: "预热",
        durationMs: HOUR,
        rate: 2,
        kinds: { presale: 0.65, logistics: 0.15, aftersale: 0.12, complaint: 0.08 },
      },
      {
        label: "零点高峰",
        durationMs: 4 * HOUR,
        rate: 5,
        kinds: { presale: 0.6, logistics: 0.2, aftersale: 0.12, complaint: 0.08 },
      },
      { label: "高峰回落", durationMs: 2 * HOUR, rate: 2.5 },
      {
        label: "催发货",
        durationMs: Number.POSITIVE_INFINITY,
        rate: 1.5,
        kinds: { presale: 0.25, logistics: 0.45, aftersale: 0.18, complaint: 0.12 },
      },
    ],
  },
};

/** A runtime override of the mix: platform weights multiply the profile's; kinds replace it. */
export const MixChange = z.object({
  platforms: z.partialRecord(PlatformId, z.number().min(0).max(1000)).optional(),
  kinds: z
    .partialRecord(z.enum(["presale", "logistics", "aftersale", "complaint"]), z.number().min(0).max(1000))
    .optional(),
});
export type MixChange = z.infer<typeof MixChange>;

export interface ProfileNow {
  name: ProfileName;
  label: string;
  phase: string;
  phaseIndex: number;
  startedAt: string;
  /** When the current phase ends (wall clock), null for the last. */
  phaseEndsAt: string | null;
  rateMultiplier: number;
  platformWeights: Partial<Record<PlatformId, number>>;
  kindWeights: Record<TopicKind, number>;
  mix: MixChange;
}

/** What the traffic needs per arrival, computed once per phase. */
export interface ProfileWeights {
  rateMultiplier: number;
  platforms: ReadonlyArray<readonly [PlatformId, number]>;
  kinds: ReadonlyArray<readonly [TopicKind, number]>;
  /** Wall-clock ms the phase started and ends (Infinity for the last). */
  startsAt: number;
  endsAt: number;
}

export interface ProfileControl {
  set(name: ProfileName, at: Date): void;
  /** The current phase's weights (cached until the phase or the mix changes). */
  weights(time: Date): ProfileWeights;
  setMix(change: MixChange): MixChange;
  clearMix(): void;
  at(time: Date): ProfileNow;
}

export function createProfileControl(options: {
  platforms: readonly PlatformId[];
  timeScale: number;
  initial: ProfileName;
  startedAt: Date;
}): ProfileControl {
  let profile = profiles[options.initial];
  let startedAt = options.startedAt.getTime();
  let mix: MixChange = {};
  let cached: ProfileWeights | undefined;

  function phaseAt(time: number): { phase: ProfilePhase; index: number; startsAt: number; endsAt: number } {
    let t = startedAt;
    for (const [index, phase] of profile.phases.entries()) {
      const endsAt = t + phase.durationMs / options.timeScale;
      if (time < endsAt || index === profile.phases.length - 1) return { phase, index, startsAt: t, endsAt };
      t = endsAt;
    }
    throw new Error("a profile has at least one phase");
  }

  function weightsOf(phase: ProfilePhase) {
    const platforms = options.platforms.map(
      (p) => [p, (mix.platforms?.[p] ?? 1) * (phase.platforms?.[p] ?? 1)] as const,
    );
    const kinds: Record<TopicKind, number> = {
      presale: 0,
      logistics: 0,
      aftersale: 0,
      complaint: 0,
      ...(mix.kinds && Object.keys(mix.kinds).length > 0 ? mix.kinds : (phase.kinds ?? defaultKinds)),
    };
    return { platforms, kinds };
  }

  return {
    set(name, at) {
      profile = profiles[name];
      startedAt = at.getTime();
      cached = undefined;
    },
    setMix(change) {
      mix = {
        platforms: { ...mix.platforms, ...change.platforms },
        kinds: change.kinds ? { ...change.kinds } : mix.kinds,
      };
      cached = undefined;
      return mix;
    },
    clearMix() {
      mix = {};
      cached = undefined;
    },
    weights(time) {
      const t = time.getTime();
      if (cached && t >= cached.startsAt && t < cached.endsAt) return cached;
      const { phase, startsAt, endsAt } = phaseAt(t);
      const { platforms, kinds } = weightsOf(phase);
      cached = {
        rateMultiplier: phase.rate,
        platforms,
        kinds: Object.entries(kinds) as Array<[TopicKind, number]>,
        startsAt,
        endsAt,
      };
      return cached;
    },
    at(time) {
      const { phase, index, endsAt } = phaseAt(time.getTime());
      const { platforms, kinds } = weightsOf(phase);
      return {
        name: profile.name,
        label: profile.label,
        phase: phase.label,
        phaseIndex: index,
        startedAt: new Date(startedAt).toISOString(),
        phaseEndsAt: Number.isFinite(endsAt) ? new Date(endsAt).toISOString() : null,
        rateMultiplier: phase.rate,
        platformWeights: Object.fromEntries(platforms),
        kindWeights: kinds,
        mix,
      };
    },
  };
}

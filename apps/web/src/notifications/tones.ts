import type { NoticeLevel } from "./notification-rules.ts";

/**
 * The notification sounds, synthesized with the Web Audio API (no audio files): one soft blip for
 * what I only watch, one chime for my conversations, two rising tones for urgent ones.
 */
export type Tone = { frequency: number; startAt: number; duration: number; gain: number };

export function toneSequence(level: NoticeLevel): Tone[] {
  switch (level) {
    case "low":
      return [{ frequency: 660, startAt: 0, duration: 0.12, gain: 0.06 }];
    case "normal":
      return [{ frequency: 880, startAt: 0, duration: 0.22, gain: 0.12 }];
    case "high":
      return [
        { frequency: 988, startAt: 0, duration: 0.16, gain: 0.16 },
        { frequency: 1319, startAt: 0.2, duration: 0.26, gain: 0.16 },
      ];
  }
}

type AudioContextConstructor = new () => AudioContext;

function audioContextClass(): AudioContextConstructor | null {
  if (typeof window === "undefined") return null;
  const legacy = (window as Window & { webkitAudioContext?: AudioContextConstructor }).webkitAudioContext;
  return window.AudioContext ?? legacy ?? null;
}

let context: AudioContext | null = null;

/**
 * Browsers start audio only after a user gesture: call this from one (any click or key press),
 * so that later notifications can sound.
 */
export function unlockAudio(): void {
  try {
    if (!context) {
      const Context = audioContextClass();
      if (!Context) return;
      context = new Context();
    }
    if (context.state === "suspended") void context.resume().catch(() => undefined);
  } catch {
    // No audio on this device: notifications stay silent.
  }
}

export function playNoticeSound(level: NoticeLevel): void {
  const audio = context;
  if (audio?.state !== "running") return;
  const begin = audio.currentTime + 0.01;
  for (const tone of toneSequence(level)) {
    const oscillator = audio.createOscillator();
    const envelope = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = tone.frequency;
    const start = begin + tone.startAt;
    const end = start + tone.duration;
    // A short attack and an exponential release: a chime, not a click.
    envelope.gain.setValueAtTime(0.0001, start);
    envelope.gain.exponentialRampToValueAtTime(tone.gain, start + 0.015);
    envelope.gain.exponentialRampToValueAtTime(0.0001, end);
    oscillator.connect(envelope).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(end + 0.02);
  }
}

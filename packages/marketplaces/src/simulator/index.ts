export type { DetailedSessionRow, RecordRange, RecordSummary, SessionRow } from "./buyers/record.ts";
export type { FaultState } from "./faults.ts";
export { demoStores, type SimStore, type SimStoreConfig, type SimulatorOptions } from "./options.ts";
export type { BuyerMessage, EncodedPush, PlatformPersonality, SimEvent } from "./personality.ts";
export { type MixChange, type ProfileName, type ProfileNow, profileNames } from "./profiles.ts";
export type { PushKind, PushRecord } from "./push-queue.ts";
export {
  createSimulator,
  personalities,
  type Simulator,
  type SimulatorState,
  type WorldEvent,
} from "./simulator.ts";
export type { ReceivedReply, SendCall, SimBuyer, SimOrder, SimOrderStatus } from "./world.ts";

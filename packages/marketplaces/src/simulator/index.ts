export type { FaultState } from "./faults.ts";
export { demoStores, type SimStore, type SimStoreConfig, type SimulatorOptions } from "./options.ts";
export type { BuyerMessage, EncodedPush, PlatformPersonality } from "./personality.ts";
export type { PushRecord } from "./push-queue.ts";
export { createSimulator, personalities, type Simulator, type SimulatorState } from "./simulator.ts";
export type { ReceivedReply, SimOrder } from "./world.ts";

import type { Role } from "@yunxi/contracts";

/** Supervisors and above manage shared canned replies, categories and the knowledge base (as the server checks). */
export const managesLibrary = (role: Role): boolean => role !== "agent";

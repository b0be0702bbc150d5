export { type AuditEntry, recordAudit, verifyChain } from "./service.ts";

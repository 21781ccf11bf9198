export { AuditLog, auditEntry, type AppendOnlyStream } from './audit-log.ts';
export { AuditEvent } from './schema.ts';

export { AuditLog, type AppendOnlyStream } from './audit-log.ts';
export { AuditEvent } from './schema.ts';

export { createHttpServer, type HttpServer, type HttpServerOptions, type MountOptions } from './create-http-server.ts';
export { createGracefulShutdown, type GracefulShutdown, type GracefulShutdownOptions } from './create-graceful-shutdown.ts';
export { checkBearerToken } from './check-bearer-token.ts';
export type { ApiOptions } from './serve-api.ts';
export type { AuditSource, DeploySource, BufferedRequest, HttpLog, IngressHandler, MetricsSource, ReadinessCheck } from './types.ts';

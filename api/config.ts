import { rateLimitConfigFromEnv, type RateLimitConfig } from './stripe/rate-limit';

export interface ApiConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
  rateLimit?: RateLimitConfig; // absent: no limit
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 4242),
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 1024 * 1024),
    rateLimit: rateLimitConfigFromEnv(env),
  };
}

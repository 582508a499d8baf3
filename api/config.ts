export interface ApiConfig {
  host: string;
  port: number;
  maxBodyBytes: number;
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 4242),
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 1024 * 1024),
  };
}

import { describe, expect, it } from 'vitest';
import { ConfigError } from '@padan/service-kit';
import { periodCloseCommand } from './period-commands.js';

describe('padan period close, before it reaches a state', () => {
  it('asks for REDIS_URL or REDIS_CLUSTER_NODES when neither is set', async () => {
    await expect(periodCloseCommand({ period: '2021-09' }, {})).rejects.toBeInstanceOf(ConfigError);
  });

  it('says which variable names an unreachable Redis, never its value (it may hold a password)', async () => {
    // Port 1 on the loopback: refused at once.
    const err = (await periodCloseCommand({ period: '2021-09' }, { REDIS_URL: 'redis://user:s3cret@127.0.0.1:1' }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/cannot reach match's Redis \(REDIS_URL\)/);
    expect(err.message).toMatch(/pnpm stack:up/);
    expect(err.message).not.toMatch(/s3cret|127\.0\.0\.1:1\b/);
  });
});

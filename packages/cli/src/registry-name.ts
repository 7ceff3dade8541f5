import { UsageError } from './usage-error.js';

/**
 * The social registry's display name in what padan says and writes for people (`PADAN_REGISTRY_NAME`,
 * default `DTKS`): DTKS is being succeeded by DTSEN, released quarterly. Only the display name
 * changes: reason codes (`NOT_IN_DTKS`), topics, the `DTKS` source name in files and options
 * (`--dtks`, `source=DTKS`) stay as they are, so dashboards and stored snapshots keep working.
 */
export function registryName(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.PADAN_REGISTRY_NAME;
  if (name === undefined || name === '') return 'DTKS';
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(name)) throw new UsageError('PADAN_REGISTRY_NAME must be 1–32 letters, digits, spaces, ".", "_" or "-" (e.g. DTSEN)');
  return name;
}

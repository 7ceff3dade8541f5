import { z } from 'zod';
import { FIELDS, SOURCES } from '@padan/contracts';
import type { Source } from '@padan/contracts';
import type { ColumnMapping } from '@padan/core';
import { ConfigFileError, readJsonFile, zodIssues } from '@padan/service-kit';

export { loadRules, ConfigFileError, DEFAULT_RULES_PATH } from '@padan/service-kit';

const mappingSchema = z.partialRecord(z.enum(SOURCES), z.partialRecord(z.enum(FIELDS), z.string().min(1)));

/** Column mapping (`--mapping`): `{ "PKH": { "nik": "NIK_KPM" } }`, field → column name per source. */
export function loadMapping(path: string | undefined): Partial<Record<Source, ColumnMapping>> {
  if (!path) return {};
  const parsed = mappingSchema.safeParse(readJsonFile(path));
  if (!parsed.success) throw new ConfigFileError(path, `not a mapping file: ${zodIssues(parsed.error)}; expected {"PKH": {"nik": "column name"}}`);
  return parsed.data as Partial<Record<Source, ColumnMapping>>;
}

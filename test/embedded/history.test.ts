import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshotContents } from '@padan/cli';
import { generate, generateFollowOn } from '@padan/synth';
import type { GeneratedFiles } from '@padan/synth';
import { CLI, runCli, startCli } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/golden.js';
import { duckdbRows, sqlText } from '../helpers/duckdb.js';

/**
 * Issue 9, embedded: a period's inputs are archived under --out, snapshots supersede each other
 * (one current per period, the rest under history/), DTKS releases apply from a period on, and
 * `padan reprocess` replays periods from the archive alone, resumably.
 */
let dir: string;
let out: string;
let aug: GeneratedFiles;
let sep: GeneratedFiles;
let oct: GeneratedFiles;

const programArgs = (g: GeneratedFiles) => g.programs.flatMap((p) => ['--program', `${p.program}=${p.path}`]);
const ok = (r: ReturnType<typeof runCli>) => {
  expect(r.stderr).not.toMatch(/^padan: (?!kept|replaced|withdrew|continuing|\d+ rows? could|DTKS release|an unfinished).*error/m);
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const current = (period: string) => JSON.parse(readFileSync(join(out, 'snapshots', `period=${period}`, 'latest.json'), 'utf8')) as { date: string; prefix: string; run_id: string };
const manifestOf = (period: string) => JSON.parse(readFileSync(join(out, current(period).prefix, 'manifest.json'), 'utf8'));
/** Every manifest under snapshots/: one per period means a glob over snapshots/** counts each record once. */
const currentManifests = () => (readdirSync(join(out, 'snapshots'), { recursive: true }) as string[]).filter((n) => n.endsWith('manifest.json')).sort();

beforeAll(async () => {
  dir = tempDir('history');
  out = join(dir, 'out');
  aug = await generate({ outDir: join(dir, 'in-aug'), households: 250, seed: 31, period: '2021-08', formats: 'mixed' });
  // The same population a month later (generateFollowOn): the release loaded with August fits it.
  sep = await generateFollowOn({ from: join(dir, 'in-aug'), outDir: join(dir, 'in-sep') });
  oct = await generateFollowOn({ from: join(dir, 'in-sep'), outDir: join(dir, 'in-oct') });
  ok(runCli(['run', '--period', '2021-08', '--dtks', aug.dtks, ...programArgs(aug), '--out', out, '--date', '2021-08-31']));
  // No --dtks: the release loaded with August (in force from 2021-08) applies.
  ok(runCli(['run', '--period', '2021-09', ...programArgs(sep), '--out', out, '--date', '2021-09-30']));
}, 120_000);

describe('history of an embedded --out', () => {
  it('runs a later period against the release in force and lists releases and periods', () => {
    expect(manifestOf('2021-09').dtks_release).toMatchObject({ id: '2021-08', from: '2021-08', files: [{ file: 'dtks-jambi-2021-08.csv' }] });
    const releases = ok(runCli(['releases', '--out', out])).stdout;
    expect(releases).toMatch(/^2021-08\t2021-08\t\d+\tdtks-jambi-2021-08\.csv\t[0-9a-f]{64}$/m);
    const status = ok(runCli(['status', '--out', out])).stdout;
    expect(status).toMatch(/period 2021-08[\s\S]*DTKS release 2021-08 \(from 2021-08\)[\s\S]*period 2021-09/);
    // The registry's display name is configuration (DTSEN succeeds DTKS); the source name stays DTKS.
    expect(ok(runCli(['releases', '--out', out], { env: { ...process.env, PADAN_HASH_KEY: 'k', PADAN_REGISTRY_NAME: 'DTSEN' } })).stdout).toMatch(/^DTSEN release\tfrom/);
    expect(status).toMatch(/input {6}PKH {5}pkh-2021-09\.xlsx {2}sha256 [0-9a-f]{12} {2}archived/);
    expect(currentManifests()).toEqual(['period=2021-08/date=2021-08-31/manifest.json', 'period=2021-09/date=2021-09-30/manifest.json']);
    // Piped into head, which closes the pipe after a line: no EPIPE crash (found by the new-user check).
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" status --out "${out}" | head -1`], { encoding: 'utf8', env: { ...process.env, PADAN_HASH_KEY: 'k' } });
    expect(piped.stdout).toBe('period 2021-08\n');
    expect(piped.stderr).not.toMatch(/EPIPE|Unhandled/);
  });

  it('reprocesses from the archive alone, byte-identical but for the manifest\'s run, and resumes after a kill', async () => {
    const before = { aug: snapshotContents(join(out, current('2021-08').prefix)), sep: snapshotContents(join(out, current('2021-09').prefix)) };
    // The originals are gone: the archive under --out must be enough.
    rmSync(join(dir, 'in-aug'), { recursive: true });
    rmSync(join(dir, 'in-sep'), { recursive: true });

    // Killed once the first period is done...
    const child = startCli(['reprocess', '--period', '2021-08', '--to', '2021-09', '--out', out, '--date', '2021-09-30']);
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('"event":"reprocess.period.done"')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.once('exit', r).once('close', r));
    expect(JSON.parse(readFileSync(join(out, 'runs', 'reprocess.json'), 'utf8')).done).toEqual(['2021-08']);

    // ...the same command continues with the period not done.
    const again = ok(runCli(['reprocess', '--period', '2021-08', '--to', '2021-09', '--out', out, '--date', '2021-09-30']));
    expect(again.stderr).toMatch(/continuing reprocess reprocess-\S+: 1 of 2 periods done/);
    expect(again.stderr.match(/"event":"reprocess.period.started"/g)).toHaveLength(1);
    expect(existsSync(join(out, 'runs', 'reprocess.json'))).toBe(false);

    const after = { aug: snapshotContents(join(out, current('2021-08').prefix)), sep: snapshotContents(join(out, current('2021-09').prefix)) };
    // August's date changed (2021-09-30), so its summary names the new date; the rest is the same.
    for (const name of ['findings.csv', 'findings.xlsx', 'findings.parquet', 'rejected.jsonl']) expect(after.aug[name]!.equals(before.aug[name]!), name).toBe(true);
    for (const name of Object.keys(before.sep)) expect(after.sep[name]!.equals(before.sep[name]!), name).toBe(true);
    const m = manifestOf('2021-09');
    expect(m.run_id).toMatch(/^reprocess-/);
    expect(m.supersedes).toMatchObject({ date: '2021-09-30' });
    expect(existsSync(join(out, m.supersedes.history_prefix, 'manifest.json'))).toBe(true);
    expect(currentManifests()).toEqual(['period=2021-08/date=2021-09-30/manifest.json', 'period=2021-09/date=2021-09-30/manifest.json']);
  }, 180_000);

  it('a newer release changes no earlier period, and reprocessing keeps each period\'s own release', async () => {
    ok(runCli(['run', '--period', '2021-10', '--dtks', oct.dtks, '--release', 'dtks-2021-10', ...programArgs(oct), '--out', out, '--date', '2021-10-31']));
    const sepBefore = snapshotContents(join(out, current('2021-09').prefix));
    ok(runCli(['reprocess', '--period', '2021-09', '--out', out, '--date', '2021-09-30']));
    expect(manifestOf('2021-09').dtks_release.id).toBe('2021-08');
    expect(snapshotContents(join(out, current('2021-09').prefix))['findings.csv']!.equals(sepBefore['findings.csv']!)).toBe(true);
    expect(manifestOf('2021-10').dtks_release).toMatchObject({ id: 'dtks-2021-10', from: '2021-10' });
    // An explicit release id cannot be loaded again with other files.
    const otherDtks = join(dir, 'dtks-other.csv');
    writeFileSync(otherDtks, `${readFileSync(oct.dtks, 'utf8')}\n`);
    const clash = runCli(['run', '--period', '2021-11', '--dtks', otherDtks, '--release', 'dtks-2021-10', ...programArgs(oct), '--out', out]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/release dtks-2021-10 is already loaded with other files/);
  }, 120_000);

  it('a corrected file under a new name replaces the old one (no false duplicates), and withdraw removes a file', () => {
    const record = JSON.parse(readFileSync(join(out, 'runs', 'period=2021-10.json'), 'utf8')) as { inputs: { source: string; file: string; key: string }[] };
    const sembako = record.inputs.find((i) => i.source === 'SEMBAKO')!;
    const corrected = join(dir, 'sembako-2021-10-corrected.csv');
    copyFileSync(join(out, sembako.key), corrected);
    const beforeFlagged = (manifestOf('2021-10').inputs as { program: string }[]).length;
    const r = ok(runCli(['run', '--period', '2021-10', '--program', `SEMBAKO=${corrected}`, '--out', out, '--date', '2021-10-31']));
    expect(r.stderr).toMatch(/replaced in 2021-10: SEMBAKO\/sembako-2021-10\.csv \(their records and results are retracted\)/);
    expect(r.stderr).toMatch(/kept from the earlier run of 2021-10: PKH\/pkh-2021-10\.xlsx/);
    const m = manifestOf('2021-10');
    expect(m.inputs.map((i: { source_file: string }) => i.source_file)).toContain('sembako-2021-10-corrected.csv');
    expect(m.inputs.map((i: { source_file: string }) => i.source_file)).not.toContain('sembako-2021-10.csv');
    expect(m.inputs).toHaveLength(beforeFlagged);
    expect(m.supersedes.date).toBe('2021-10-31');
    // The same records under a new file name, not beside the old ones: no duplicate across the two.
    const findings = readFileSync(join(out, current('2021-10').prefix, 'restricted/findings.csv'), 'utf8');
    expect(findings).not.toMatch(/sembako-2021-10\.csv/);

    const w = ok(runCli(['withdraw', '--period', '2021-10', '--program', 'SEMBAKO', '--file', 'sembako-2021-10-corrected.csv', '--out', out, '--date', '2021-10-31']));
    expect(w.stderr).toMatch(/withdrew SEMBAKO\/sembako-2021-10-corrected\.csv from 2021-10/);
    expect(manifestOf('2021-10').inputs.map((i: { program: string }) => i.program)).not.toContain('SEMBAKO');
    const missing = runCli(['withdraw', '--period', '2021-10', '--program', 'SEMBAKO', '--file', 'nope.csv', '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SEMBAKO\/nope\.csv is not an input of period 2021-10/);
  }, 120_000);

  it('DuckDB reads snapshots/**/findings.parquet with hive partitioning, counting each record once', async () => {
    // Every period has been written more than once by now; history/ holds the superseded snapshots.
    expect(readdirSync(join(out, 'history'))).not.toHaveLength(0);
    const csvRows = (period: string) => readFileSync(join(out, current(period).prefix, 'restricted/findings.csv'), 'utf8').trim().split('\n').length - 1;
    const glob = sqlText(join(out, 'snapshots', '**', 'findings.parquet'));
    const rows = await duckdbRows(`select period, count(*) as n, count(distinct source_file || '#' || source_row) as records from read_parquet(${glob}, hive_partitioning = true) group by period order by period`);
    expect(rows.map((r) => [r.period, Number(r.n), Number(r.records)])).toEqual(['2021-08', '2021-09', '2021-10'].map((p) => [p, csvRows(p), csvRows(p)]));
  });

  it('refuses a period without a DTKS release in force', () => {
    const early = join(dir, 'early.csv');
    writeFileSync(early, 'NIK,NAMA\n1571010101800001,A\n');
    const r = runCli(['run', '--period', '2021-07', '--program', `PKH=${early}`, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no DTKS release for period 2021-07 under .* \(loaded: 2021-08 from 2021-08, dtks-2021-10 from 2021-10\); give --dtks FILE/);
  });
});

import { describe, expect, it } from 'vitest';
import { checkFileNamePeriod } from './file-name-period-check.js';

describe('checkFileNamePeriod', () => {
  it("a name with the run's period, or none, passes", () => {
    expect(checkFileNamePeriod('PKH', 'pkh_2021-09.csv', '2021-09')).toBeNull();
    expect(checkFileNamePeriod('DTKS', 'DTKS_SEPTEMBER_2021.xlsx', '2021-09')).toBeNull();
    expect(checkFileNamePeriod('PKH', 'pkh.csv', '2021-09')).toBeNull();
    expect(checkFileNamePeriod('PKH', 'pkh_export_2021-10-02.csv', '2021-09')).toBeNull();
    expect(checkFileNamePeriod('PKH', 'pkh_september.csv', '2021-09')).toBeNull();
  });

  it('a July DTKS in a September run is named, with what the name says', () => {
    const w = checkFileNamePeriod('DTKS', 'DTKS_JULI_2021.xlsx', '2021-09');
    expect(w).toMatchObject({ check: 'PERIOD_IN_FILE_NAME', source: 'DTKS', file: 'DTKS_JULI_2021.xlsx' });
    expect(w?.message).toBe(
      `the file name says 2021-07 ("JULI_2021") but the run's period is 2021-09; check that this is the DTKS release in force for 2021-09 (an older or newer release flags the recipients added or removed since as NOT_IN_DTKS), or rename the file if its name is wrong`,
    );
  });

  it('the same month of another year disagrees; a month without a year is compared by month', () => {
    expect(checkFileNamePeriod('BST', 'bst-202009.jsonl', '2021-09')?.message).toMatch(/says 2020-09 \("202009"\).*the BST list for 2021-09/);
    expect(checkFileNamePeriod('PKH', 'pkh_juli.csv', '2021-09')?.message).toMatch(/says month 07 \("juli"\)/);
    expect(checkFileNamePeriod('PKH', 'pkh_juli.csv', '2022-07')).toBeNull();
  });
});

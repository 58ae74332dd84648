/**
 * Public API of the growth engine (pure: no I/O). Node code gets a ready engine from
 * `loadGrowthEngine()` in src/reference/who-tables.ts.
 */
export type * from './types.js';
export {
  createBatchInput,
  createBatchOutput,
  createGrowthEngine,
  DAYS_PER_MONTH,
  lmsZ,
  parseWhoTables,
  restrictedZ,
  roundR2,
  WHO_TABLE_NAMES,
  type AgeLmsTable,
  type GrowthEngineOptions,
  type SizeLmsTable,
  type WhoTables,
} from './engine.js';
export {
  FIELD_BITS,
  GROWTH_FIELDS,
  growthIssue,
  isMissingText,
  parseDayNumber,
  parseDecimal,
  parseMeasureCode,
  parseOedemaCode,
  parseSexCode,
  type GrowthField,
  type GrowthIssueCode,
} from './fields.js';
export {
  bmiForAgeStatus,
  LENGTH_FOR_AGE_STATUS,
  lengthForAgeStatus,
  WEIGHT_FOR_AGE_STATUS,
  WEIGHT_FOR_LENGTH_STATUS,
  weightForAgeStatus,
  weightForLengthStatus,
} from './permenkes.js';
export {
  completedMonths,
  judgeWeightGain,
  judgeWeightGainSeries,
  kbmGrams,
  kbmTableSchema,
  parseKbmTable,
  type KbmTable,
  type Weighing,
  type WeightGainCode,
  type WeightGainJudgement,
} from './weight-gain.js';
export { mapZscoreColumns, ZSCORE_COLUMN_ALIASES, ZSCORE_OUTPUT_COLUMNS, ZscoreCsv, type ZscoreStats } from './zscore-csv.js';

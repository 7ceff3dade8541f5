export { normalizeBatch } from './normalize-stage.js';
export { splitByPartition } from './partition-batch.js';

export { normalizeBatch } from './normalize-stage.js';

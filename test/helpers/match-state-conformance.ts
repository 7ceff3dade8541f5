// The suite lives with the adapters it checks (packages/match-state); integration tests reach it here.
export { matchStateConformance, normalizedBatch, person } from '../../packages/match-state/conformance/match-state-conformance.js';
export type { StateFactory, StateUnderTest } from '../../packages/match-state/conformance/match-state-conformance.js';

import { matchStateConformance } from '../../conformance/match-state-conformance.js';
import { MemoryMatchState } from './memory-match-state.js';

// The reference adapter against itself: checks the semantics each scenario asserts.
matchStateConformance('MemoryMatchState', () => ({ state: new MemoryMatchState(), dispose: async () => undefined }));

export type { Bus, BusMessage, BatchHandler } from './bus.js';
export { InProcessBus } from './in-process-bus.js';
export type { InProcessBusOptions, WireCodec } from './in-process-bus.js';
export type { ObjectStore, ObjectInfo } from './object-store.js';
export { FolderObjectStore } from './folder-object-store.js';

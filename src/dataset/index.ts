// Datasets: the Arrow IPC event schema, its writer and its windowed reader (docs/datasets.md).
export * from './schema.js';
export * from './writer.js';
export * from './reader.js';

// Datasets: the Arrow IPC event schema, its writer and its windowed reader (docs/datasets.md).
export * from './schema';
export * from './writer';
export * from './reader';

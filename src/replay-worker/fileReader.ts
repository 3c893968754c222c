/** Reads a dropped dataset file in the worker, one record batch at a time (src/dataset's windowed reader). */
import { blobSource, openDataset } from '../dataset/reader';
import type { FileReader } from './engine';

export const readDatasetFile: FileReader = async (file, onMeta, onWindow, onProgress) => {
  const reader = await openDataset(blobSource(file), { onProgress });
  onMeta(reader.meta);
  for await (const cols of reader.windows()) onWindow(cols);
};

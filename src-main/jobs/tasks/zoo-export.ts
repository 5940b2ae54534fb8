/** Job `models.export`: a zoo model written to an ONNX file, with trained weights where Joule ships them. */
import type { ZooExportReport, ZooExportRequest } from '../../common/api/models';
import { countModel } from '../../core/onnx/count';
import { writeOnnxFile } from '../../core/onnx/write';
import { shippedModelFile, ZOO_PREFIX } from '../../core/zoo/resolve';
import { isSmallZooName } from '../../core/zoo/small/registry';
import type { JobContext } from '../context';
import { shippedModelsDir } from '../environment';
import { loadModelSpec } from './inputs';

/** ImageNet classics get seeded random weights; VGG-16 is over 500 MB, so large tensors go to a `.data` file. */
const EXTERNAL_DATA_THRESHOLD_BYTES = 1 << 30;

export async function exportZooModel(request: ZooExportRequest, context: JobContext): Promise<ZooExportReport> {
  const name = request.name.startsWith(ZOO_PREFIX) ? request.name.slice(ZOO_PREFIX.length) : request.name;
  const trained = isSmallZooName(name) && shippedModelFile(shippedModelsDir(context.env), name) !== null;
  const resolved = loadModelSpec(`${ZOO_PREFIX}${name}`, context.env, trained ? 'evaluate' : 'analyze');
  context.report(0.1, `Writing ${resolved.name}`);
  writeOnnxFile(request.out, resolved.model, { externalDataThresholdBytes: EXTERNAL_DATA_THRESHOLD_BYTES });
  const { macs, params } = countModel(resolved.model);
  return { name: resolved.name, file: request.out, trained: resolved.file !== null, macs, params };
}

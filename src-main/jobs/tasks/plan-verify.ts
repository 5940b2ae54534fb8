/** Job `plan.verify`: a bundle's files against its checksums, and its models loaded and timed with onnxruntime on this machine. */
import path from 'node:path';
import type { VerifyReport, VerifyRequest } from '../../common/api/plan';
import { checkFiles, checkModels } from '../../core/bundle/verify';
import { hostProfile } from '../../core/energy/resolve-profile';
import { partOf } from '../../core/progress';
import type { JobContext } from '../context';

export async function verifyBundle(request: VerifyRequest, context: JobContext): Promise<VerifyReport> {
  const dir = path.resolve(request.dir);
  context.report(0, 'Checking every file against SHA256SUMS');
  const { problems, checked } = await checkFiles(dir, partOf(context, 0, 0.2));
  const host = await context.native(() => hostProfile(context.env.dataDir));
  const models = await context.native(() => checkModels(dir, host, request.runs ?? 10, context));
  return { dir, ok: problems.length === 0 && models.every((m) => m.loaded), problems, checkedFiles: checked, models };
}

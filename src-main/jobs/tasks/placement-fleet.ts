/** Job `placement.fleet`: a synthetic fleet of library devices and workloads, written as a problem file. */
import type { FleetReport, FleetRequest } from '../../common/api/placement';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { generateFleet } from '../../core/schedule/fleet';
import type { JobContext } from '../context';
import { deviceLibrary } from './inputs';

export async function generateFleetProblem(request: FleetRequest, context: JobContext): Promise<FleetReport> {
  context.report(null, `Generating ${request.nodes} nodes and ${request.workloads} workloads`);
  const problem = generateFleet(await deviceLibrary(context.env), {
    nodes: request.nodes,
    workloads: request.workloads,
    seed: request.seed ?? 1,
    load: request.load,
    cloud: request.cloud === true,
    locality: request.locality === true,
  });
  await writeFileAtomic(request.out, JSON.stringify(problem), { backup: false });
  return { file: request.out, nodes: problem.nodes.length, workloads: problem.workloads.length, models: problem.models.length };
}

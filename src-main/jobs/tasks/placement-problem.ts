/**
 * Job `placement.problem`: the placement problem of a project (every model analysed on every
 * device type of the fleet) or of a problem file, checked against the schema, with an id that is
 * the hash of its content.
 */
import type { BuiltProblem, ProblemSource } from '../../common/api/placement';
import { ScheduleError } from '../../common/errors';
import { invalidJsonMessage } from '../../common/json-position';
import { parseProblem, type PlacementProblem } from '../../common/placement/problem';
import { sha256Hex } from '../../core/io/hash';
import { readRegularText, UnreadableFileError } from '../../core/io/regular-file';
import { problemFromProject } from '../../core/schedule/from-project';
import type { JobContext } from '../context';
import { deviceLibrary } from './inputs';

export async function buildProblem(source: ProblemSource, context: JobContext): Promise<BuiltProblem> {
  let problem: PlacementProblem;
  if ('project' in source) {
    context.report(null, 'Analysing every model on every device type');
    problem = problemFromProject(source.project.document, source.project.baseDir, await deviceLibrary(context.env));
  } else {
    context.report(null, `Reading ${source.file}`);
    let text: string;
    try {
      text = await readRegularText(source.file, 'problem');
    } catch (error) {
      if (error instanceof UnreadableFileError) throw new ScheduleError(`Cannot read the problem ${source.file}: ${error.why}.`);
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ScheduleError(invalidJsonMessage(text, `The problem ${source.file}`));
    }
    problem = parseProblem(data);
  }
  return { problemId: sha256Hex(JSON.stringify(problem)).slice(0, 16), problem };
}

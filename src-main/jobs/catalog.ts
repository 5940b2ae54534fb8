/** The job kinds Joule runs in its workers, with their input and output types. */
import type { AnalysisRequest, EnergyReport, PartitionReport, PartitionRequest } from '../common/api/energy';
import type { ImportedModel, ImportRequest } from '../common/api/models';
import type { PlacementRunRequest, PlacementRunResult } from '../common/api/placement';
import type { PlacementProblem } from '../common/placement/problem';
import type { ProjectDocument } from '../common/project/schema';
import type { ProjectProblemEnvironment } from '../core/schedule/run';
import type { ProjectCheckReport } from '../common/api/project';
import type { EvalRequest, EvaluationReport, TrainReport, TrainRequest } from '../common/api/training';
import type { ModelRef } from '../common/project/schema';
import type { EnergyEnvironment } from '../core/energy/run';
import type { TrainEnvironment } from '../core/train/run';
import type { ImportEnvironment } from '../core/zoo/import';

export type JouleJobs = {
  'project.check': { input: { models: ModelRef[]; baseDir: string }; output: ProjectCheckReport };
  'models.import': { input: { request: ImportRequest; env: ImportEnvironment }; output: ImportedModel };
  'energy.analyze': { input: { request: AnalysisRequest; env: EnergyEnvironment }; output: EnergyReport[] };
  'energy.partition': { input: { request: PartitionRequest; env: EnergyEnvironment }; output: PartitionReport };
  'train.run': { input: { request: TrainRequest; env: TrainEnvironment }; output: TrainReport };
  'train.eval': { input: { request: EvalRequest; env: TrainEnvironment }; output: EvaluationReport };
  'placement.problem': { input: { project: { document: ProjectDocument; baseDir: string }; env: ProjectProblemEnvironment }; output: PlacementProblem };
  'placement.run': { input: { request: PlacementRunRequest }; output: PlacementRunResult };
};

export type JouleJobKind = keyof JouleJobs & string;

/**
 * Waiting for a job from the command line: progress lines on stderr (not with --json, where
 * stdout is data and stderr stays quiet), and Ctrl+C asking the job to stop at its next step.
 */
import type { JobInfo } from '../../common/api/jobs';
import type { CliContext } from './command';

export interface WaitOptions {
  /** Print progress on stderr. */
  progress: boolean;
  /** The numbers a progress line shows beside the message (training's loss and accuracy). */
  metricsText?: (metrics: Record<string, number>) => string;
}

export async function awaitJob<T>(context: CliContext, jobId: string | Promise<string>, options: WaitOptions): Promise<T> {
  const { services, events } = await context.runtime();
  const id = await jobId;
  let lastLine = '';
  const stop = events.subscribe((event) => {
    if (!options.progress || event.type !== 'job.updated' || event.job.id !== id || event.job.state !== 'running') return;
    const line = progressLine(event.job, options.metricsText);
    if (line !== lastLine) context.err(line);
    lastLine = line;
  });
  const cancel = () => void services.jobs.cancel(id);
  process.once('SIGINT', cancel);
  try {
    return (await services.jobs.result(id)) as T;
  } finally {
    process.off('SIGINT', cancel);
    stop();
  }
}

function progressLine(job: JobInfo, metricsText: WaitOptions['metricsText']): string {
  const p = job.progress;
  const percent = p.fraction === null ? '' : `${(p.fraction * 100).toFixed(0).padStart(3)}% `;
  return `${percent}${p.message}${p.metrics && metricsText ? `  ${metricsText(p.metrics)}` : ''}`;
}

/**
 * Per-user state kept beside the projects: the recent-projects list and the recovery file of
 * unsaved work. Lives in the host's data folder (Electron's userData, or JOULE_HOME).
 */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecentProject, RecoverySnapshot } from '../common/api/project';
import { InvalidRequestError } from '../common/errors';
import { writeFileAtomic } from '../core/io/atomic-write';

const MAX_RECENT = 10;

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    // Missing or damaged state is not worth failing over: start fresh.
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

export class AppState {
  private readonly recentFile: string;
  private readonly recoveryFile: string;
  private readonly queueFile: string;

  constructor(readonly dataDir: string) {
    this.recentFile = path.join(dataDir, 'recent.json');
    this.recoveryFile = path.join(dataDir, 'recovery.json');
    this.queueFile = path.join(dataDir, 'queue.json');
  }

  /** The job queue's Redis URL the window last chose, or null for this computer (read once, at start). */
  queueUrl(): string | null {
    try {
      const saved = JSON.parse(readFileSync(this.queueFile, 'utf8')) as { url?: unknown };
      return typeof saved?.url === 'string' ? saved.url : null;
    } catch {
      return null;
    }
  }

  /** Kept readable by this user alone: the URL may hold Redis's password. */
  async setQueueUrl(url: string | null): Promise<void> {
    if (url === null) {
      await fs.rm(this.queueFile, { force: true });
      return;
    }
    await fs.mkdir(this.dataDir, { recursive: true });
    await writeFileAtomic(this.queueFile, `${JSON.stringify({ url }, null, 2)}\n`, { backup: false, mode: 0o600 });
  }

  async recent(): Promise<RecentProject[]> {
    const list = (await readJson<Omit<RecentProject, 'exists'>[]>(this.recentFile)) ?? [];
    const valid = Array.isArray(list) ? list.filter((r) => typeof r?.path === 'string') : [];
    return Promise.all(valid.map(async (r) => ({ ...r, exists: await exists(r.path) })));
  }

  /**
   * Puts a project first in the recent list. Best effort: a list that cannot be written (full
   * disk, read-only profile) must not turn a save or an open that succeeded into a failure.
   */
  async touchRecent(filePath: string, name: string): Promise<void> {
    try {
      const list = (await this.recent()).filter((r) => r.path !== filePath);
      list.unshift({ path: filePath, name, openedAt: Date.now(), exists: true });
      await this.writeRecent(list.slice(0, MAX_RECENT));
    } catch {
      // The list is a convenience; the project itself is safe.
    }
  }

  async forgetRecent(filePath: string): Promise<void> {
    await this.writeRecent((await this.recent()).filter((r) => r.path !== filePath));
  }

  private async writeRecent(list: RecentProject[]): Promise<void> {
    await fs.mkdir(this.dataDir, { recursive: true });
    const stored = list.map(({ path: p, name, openedAt }) => ({ path: p, name, openedAt }));
    await writeFileAtomic(this.recentFile, `${JSON.stringify(stored, null, 2)}\n`, { backup: false });
  }

  async writeRecovery(snapshot: RecoverySnapshot): Promise<void> {
    let text: string;
    try {
      text = JSON.stringify(snapshot);
    } catch {
      // A draft is kept unvalidated, so it may nest deeper than JSON.stringify's stack.
      throw new InvalidRequestError('snapshot.document: the draft is nested too deeply to keep as a recovery file.');
    }
    await fs.mkdir(this.dataDir, { recursive: true });
    await writeFileAtomic(this.recoveryFile, text, { backup: false });
  }

  async readRecovery(): Promise<RecoverySnapshot | null> {
    const snapshot = await readJson<RecoverySnapshot>(this.recoveryFile);
    return snapshot && typeof snapshot === 'object' && snapshot.document ? snapshot : null;
  }

  async clearRecovery(): Promise<void> {
    await fs.rm(this.recoveryFile, { force: true });
  }
}

/** `joule serve`: the window in a browser, on 127.0.0.1 with a per-launch token, confined to a workspace root. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { numberOption, stringOption, UsageError, type Command } from '../command';

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'Serve the Joule window to a local browser (127.0.0.1 only, token required, files confined to a workspace folder).',
  details: [
    'Workspace root: whoever holds the token may list, open, save, import, check, train into and',
    'export only inside the workspace root (default: your Documents folder, or your home folder when',
    'there is none; --root DIR to choose). Paths are compared as real paths, symlinks followed, so a',
    'link inside the root that points out is outside. The app\'s own resources (the sample project,',
    'shipped models) may be read, never written. Projects are saved only as .joule files, device',
    'types are named by library id (no profile files), uploads keep only .onnx, .json and image',
    'files. A refused path answers HTTP 403 with an AccessDeniedError naming the path and the root.',
    'The desktop window and the other CLI commands keep full access.',
  ].join('\n'),
  positionals: [],
  options: {
    port: { type: 'string', placeholder: 'N', description: 'Port to listen on (default: a free port).' },
    root: { type: 'string', placeholder: 'DIR', description: 'Workspace folder the window may read and write (default: Documents, else home).' },
  },
  async run(args, context) {
    const port = numberOption(args, 'port');
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port expects 0-65535, got ${port}.`);
    const [{ withHost }, { confinedAccess }, { startBrowserHost }, { browserHostApi }, { rendererDir, resourcesDir, documentsDir }] = await Promise.all([
      import('../../../services'),
      import('../../../services/file-access'),
      import('../../browser/server'),
      import('../../browser/host-api'),
      import('../../paths'),
    ]);
    const root = path.resolve(stringOption(args, 'root') ?? documentsDir());
    if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--root expects an existing folder, got "${root}".`);
    const fileAccess = confinedAccess({ root, readOnly: [resourcesDir] });
    const runtime = await context.runtime({ fileAccess, queue: 'remembered' });
    const host = await startBrowserHost({ services: withHost(runtime, browserHostApi(fileAccess)), events: runtime.events, rendererDir, port });
    if (args.json) context.out(JSON.stringify({ url: host.url, port: host.port, root: fileAccess.root }));
    else context.out(`Joule is serving on ${host.url}\nWorkspace root: ${fileAccess.root}\nOpen that address in Chromium or any browser; press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.close();
  },
};

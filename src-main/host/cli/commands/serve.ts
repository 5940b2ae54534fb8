/** `joule serve`: the window in a browser, on 127.0.0.1 with a per-launch token. */
import { numberOption, UsageError, type Command } from '../command';

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'Serve the Joule window to a local browser (127.0.0.1 only, token required).',
  positionals: [],
  options: { port: { type: 'string', placeholder: 'N', description: 'Port to listen on (default: a free port).' } },
  async run(args, context) {
    const port = numberOption(args, 'port');
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port expects 0-65535, got ${port}.`);
    const runtime = await context.runtime();
    const [{ withHost }, { startBrowserHost }, { browserHostApi }, { rendererDir }] = await Promise.all([
      import('../../../services'),
      import('../../browser/server'),
      import('../../browser/host-api'),
      import('../../paths'),
    ]);
    const host = await startBrowserHost({ services: withHost(runtime, browserHostApi()), events: runtime.events, rendererDir, port });
    if (args.json) context.out(JSON.stringify({ url: host.url, port: host.port }));
    else context.out(`Joule is serving on ${host.url}\nOpen that address in Chromium or any browser; press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.close();
  },
};

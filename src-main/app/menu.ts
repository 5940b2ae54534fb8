/** The native menu bar. Menu items send `menu.command` events; the window does the work. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { JouleEvent, MenuCommand } from '../common/api/events';
import type { RecentProject } from '../common/api/project';

export function buildMenu(send: (event: JouleEvent) => void, recent: RecentProject[], isDev: boolean): Menu {
  const command = (label: string, cmd: MenuCommand, accelerator: string, registerAccelerator = true): MenuItemConstructorOptions => ({
    label,
    accelerator,
    // Undo and Redo are handled by the window's own key listener (it knows whether a text field
    // has focus); registering them here too would fire them twice.
    registerAccelerator,
    click: () => send({ type: 'menu.command', command: cmd }),
  });
  const recentItems: MenuItemConstructorOptions[] = recent.filter((r) => r.exists).length
    ? recent.filter((r) => r.exists).map((r) => ({ label: `${r.name} — ${r.path}`, click: () => send({ type: 'menu.openRecent', path: r.path }) }))
    : [{ label: 'No recent projects', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    {
      label: '&File',
      submenu: [
        command('&New Project', 'file.new', 'CmdOrCtrl+N'),
        command('&Open…', 'file.open', 'CmdOrCtrl+O'),
        { label: 'Open &Recent', submenu: recentItems },
        { type: 'separator' },
        command('&Save', 'file.save', 'CmdOrCtrl+S'),
        command('Save &As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        command('&Export Deployment Bundle…', 'file.export', 'CmdOrCtrl+E'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        command('&Undo', 'edit.undo', 'CmdOrCtrl+Z', false),
        command('&Redo', 'edit.redo', 'CmdOrCtrl+Shift+Z', false),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, ...(isDev ? [{ role: 'toggleDevTools' as const }] : [])],
    },
  ];
  return Menu.buildFromTemplate(template);
}

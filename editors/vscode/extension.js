// The 乡约 xiangyue extension: starts the language server (`xy lsp` by default) over stdio for *.xy files.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('xiangyue');
  const command = config.get('server.path', 'xy') || 'xy';
  const args = config.get('server.args', ['lsp']);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const run = { command, args, transport: TransportKind.stdio, options: cwd ? { cwd } : {} };
  return { run, debug: run };
}

async function start() {
  client = new LanguageClient('xiangyue', '乡约 xiangyue', serverOptions(), {
    documentSelector: [{ language: 'xiangyue' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.xy') },
  });
  try {
    await client.start();
  } catch (err) {
    const path = vscode.workspace.getConfiguration('xiangyue').get('server.path', 'xy');
    vscode.window.showErrorMessage(
      `乡约语言服务器未能启动 / the xiangyue language server did not start (${path}): ${err.message ?? err}`,
    );
  }
}

async function stop() {
  if (!client) return;
  const c = client;
  client = undefined;
  try {
    await c.stop();
  } catch {
    // a server that never started cannot be stopped
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('xiangyue.server')) {
        await stop();
        await start();
      }
    }),
    vscode.commands.registerCommand('xiangyue.restartServer', async () => {
      await stop();
      await start();
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };

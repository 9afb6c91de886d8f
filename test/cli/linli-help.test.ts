/**
 * `linli --help` speaks one language, the operator's: commander's own headings, "[options]",
 * the value names and the descriptions of -h and -V included. Help opens no database.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';

const unusedDataDir = join(tmpdir(), `linli-help-${process.pid}-never-created`);

async function linli(args: string[], locale: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runLinli(args, {
    env: { LINLI_LOCALE: locale, DATA_DIR: unusedDataDir },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** commander's English words, which a Chinese help must not show. */
const COMMANDER_ENGLISH = /Usage|Arguments:|Options:|Commands:|\[options\]|\[command\]|display help|output the version|<file>|<n>|<household code>/;

describe('linli help', () => {
  it.each([[['--help']], [['staff', 'add', '--help']], [['roster', 'import', '--help']], [['invite', '--help']], [['help', 'approve']], [['tickets', 'list', '--help']], [['tickets', 'show', '--help']], [['binding', 'list', '--help']]])(
    'in Chinese, %j has no English of commander’s',
    async (args) => {
      const run = await linli(args, 'zh-CN');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^用法：linli/);
      expect(run.stdout).toContain('选项：');
      expect(run.stdout).toMatch(/-h, --help +显示帮助/);
      expect(run.stdout).not.toMatch(COMMANDER_ENGLISH);
    },
  );

  it('names the headings, the version option and the value names in Chinese', async () => {
    const top = await linli(['--help'], 'zh-CN');
    expect(top.stdout).toContain('用法：linli [选项] [命令]');
    expect(top.stdout).toMatch(/-V, --version +显示版本号/);
    expect(top.stdout).toMatch(/\n命令：\n/);
    expect(top.stdout).toMatch(/invite \[选项\] <户号> +为一户生成一次性绑定码/);
    const roster = await linli(['roster', 'import', '--help'], 'zh-CN');
    expect(roster.stdout).toMatch(/\n参数：\n {2}文件 +花名册文件/);
    const staff = await linli(['staff', 'add', '--help'], 'zh-CN');
    expect(staff.stdout).toMatch(/--days <数字> +绑定码有效天数/);
  });

  it('lists the tickets and binding requests commands, with their options and value names, in both languages', async () => {
    const top = await linli(['--help'], 'zh-CN');
    expect(top.stdout).toMatch(/\n {2}tickets +工单：列出和查看\n/);
    const list = await linli(['tickets', 'list', '--help'], 'zh-CN');
    expect(list.stdout).toMatch(/--state <状态> +状态（默认 open/);
    expect(list.stdout).toMatch(/--area <片区路径> +只列这个片区及其下属片区的工单/);
    expect(list.stdout).toMatch(/--limit <数字> +最多列出几条（默认50，最多1000）/);
    const show = await linli(['tickets', 'show', '--help'], 'zh-CN');
    expect(show.stdout).toMatch(/^用法：linli tickets show \[选项\] <工单编号>/);
    const tickets = await linli(['tickets', '--help'], 'en');
    expect(tickets.stdout).toMatch(/list \[options\] +list tickets, newest first/);
    expect(tickets.stdout).toMatch(/show <ticket number> +show one ticket/);
    const binding = await linli(['binding', '--help'], 'en');
    expect(binding.stdout).toMatch(/list \[options\] +list the binding requests waiting for a decision, oldest first/);
    const all = await linli(['binding', 'list', '--help'], 'zh-CN');
    expect(all.stdout).toMatch(/--all +也列出已处理的申请/);
  });

  it('lines up the descriptions by terminal columns, a Chinese character being two', async () => {
    const top = await linli(['--help'], 'zh-CN');
    const columns = top.stdout
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line))
      .map((line) => {
        const term = /^ {2}(.+?) {2,}/.exec(line)![0];
        return [...term].reduce((width, char) => width + (/[\u4e00-\u9fff]/.test(char) ? 2 : 1), 0);
      });
    expect(new Set(columns).size).toBe(1);
  });

  it('in English, keeps commander’s words and says what -V does', async () => {
    const run = await linli(['--help'], 'en');
    expect(run.stdout).toMatch(/^Usage: linli \[options\] \[command\]/);
    expect(run.stdout).toMatch(/-V, --version +show the version number/);
    expect(run.stdout).toMatch(/-h, --help +show help/);
  });

  it('-V prints the version and succeeds', async () => {
    const run = await linli(['-V'], 'zh-CN');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('a missing argument is named in the operator’s language', async () => {
    const run = await linli(['invite'], 'zh-CN');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('缺少参数 <户号>（用法见“linli invite --help”）\n');
    expect(existsSync(unusedDataDir)).toBe(false);
  });
});

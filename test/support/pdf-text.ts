// A PDF's text, page by page, read with pdf-parse (v2: new PDFParse({ data }).getText()). It runs
// in a plain Node child process: pdf.js loads its worker with a dynamic import, which jest's
// module sandbox refuses.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

const SCRIPT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const result = await parser.getText();
  await parser.destroy();
  process.stdout.write(JSON.stringify({ total: result.total, pages: result.pages.map((page) => page.text) }));
});
`;

export interface PdfText {
  total: number;
  pages: string[];
}

export function pdfText(pdf: Uint8Array): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SCRIPT], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pdf-parse failed (${code}): ${stderr}`));
      resolve(JSON.parse(stdout) as PdfText);
    });
    child.stdin.end(Buffer.from(pdf));
  });
}

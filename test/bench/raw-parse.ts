// The baseline: papaparse streaming in array mode, every row touched, nothing else.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const file = process.argv[2];
let rows = 0;
let cells = 0;
await new Promise<void>((resolve, reject) => {
  Papa.parse<string[]>(createReadStream(file, { encoding: 'utf8' }), {
    header: false,
    step: (result) => {
      rows++;
      cells += result.data.length;
    },
    complete: () => resolve(),
    error: (error: Error) => reject(error),
  });
});
process.stdout.write(`${JSON.stringify({ rows: rows - 1, cells })}\n`);

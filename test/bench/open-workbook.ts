// Child process of bombs.bench.ts: opens one file as the app and the CLI do (openSource) and
// prints how long that took and how it ended, as one JSON line.
import * as E from 'fp-ts/Either';
import { openSource } from '../../app/source/open-source.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: open-workbook.ts FILE');
const start = performance.now();
const opened = await openSource(path);
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, outcome: E.isLeft(opened) ? opened.left : { opened: opened.right.header } })}\n`);

import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createResumeRepo, seedKilledRun } from './lib-resume.js';
const repo = createResumeRepo(1000, 'cairn-prof-resume-');
seedKilledRun(repo, { tasks: 1000, merged: 500, running: 4, failed: 40, interrupted: 60, minEvents: 100_000 });
const cfg = path.join(repo, '.cairn', 'config.yaml');
writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('exec sleep 30', 'kill -INT $PPID; exec sleep 1'));
console.log(repo);

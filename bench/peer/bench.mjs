// The npm `mrz` package's parse over the same kind of documents bench_mrz
// uses (read from the file given, as written by `bench_mrz --write N`),
// timed in CPU seconds.  Prints parses per CPU-second for TD3 and TD1.
import { readFileSync } from 'node:fs';
import { parse } from 'mrz';

const docs = readFileSync(process.argv[2], 'utf8').split('\n\n').filter((d) => d.length > 0);
for (const [format, width] of [['TD3', 44], ['TD1', 30]]) {
  const pool = docs.map((d) => d.split('\n')).filter((l) => l[0].length === width);
  let valid = 0;
  for (let i = 0; i < 1000; i++) parse(pool[i % pool.length]); // warm up the JIT
  const t0 = process.cpuUsage();
  for (const lines of pool) if (parse(lines).valid) valid++;
  const dt = process.cpuUsage(t0);
  const seconds = (dt.user + dt.system) / 1e6;
  if (valid !== pool.length) throw new Error(`${format}: ${valid} of ${pool.length} valid`);
  console.log(`npm mrz ${format}: ${Math.round(pool.length / seconds)} parses per CPU-second (${pool.length} documents)`);
}

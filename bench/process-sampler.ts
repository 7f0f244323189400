import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Sample {
  at: number;
  cpuTicks: number;
  rssBytes: number;
}

function read(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { at: performance.now(), cpuTicks, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

export interface ProcessUsage {
  name: string;
  maxRssMb: number;
  avgCpuPercent: number;
}

/** Samples RSS and CPU of named processes from /proc while a case runs. */
export class ProcessSampler {
  private timer?: NodeJS.Timeout;
  private readonly first = new Map<string, Sample>();
  private readonly last = new Map<string, Sample>();
  private readonly maxRss = new Map<string, number>();

  constructor(private readonly processes: Array<{ name: string; pid: number }>) {}

  start(intervalMs = 250): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    for (const { name, pid } of this.processes) {
      const sample = read(pid);
      if (!sample) continue;
      if (!this.first.has(name)) this.first.set(name, sample);
      this.last.set(name, sample);
      this.maxRss.set(name, Math.max(this.maxRss.get(name) ?? 0, sample.rssBytes));
    }
  }

  stop(): ProcessUsage[] {
    clearInterval(this.timer);
    this.sample();
    return this.processes.map(({ name }) => {
      const first = this.first.get(name);
      const last = this.last.get(name);
      const seconds = first && last ? (last.at - first.at) / 1000 : 0;
      const cpu = first && last && seconds > 0 ? ((last.cpuTicks - first.cpuTicks) / TICKS_PER_SECOND / seconds) * 100 : 0;
      return { name, maxRssMb: (this.maxRss.get(name) ?? 0) / 1024 / 1024, avgCpuPercent: cpu };
    });
  }
}

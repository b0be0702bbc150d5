import type { ExportJob } from "@yunxi/contracts";

/** The export jobs the reports page follows: finished or not, and lists merged without going back in time. */

export function isFinished(job: ExportJob): boolean {
  return job.status === "done" || job.status === "failed";
}

/** Newest first; a job known from both the list and a poll keeps the newer copy. */
export function mergeJobs(known: readonly ExportJob[], incoming: readonly ExportJob[]): ExportJob[] {
  const byId = new Map(known.map((job) => [job.id, job]));
  for (const job of incoming) {
    const old = byId.get(job.id);
    if (!old || !isFinished(old) || isFinished(job)) byId.set(job.id, job);
  }
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Thrown when a service process exits during a distributed run (before the run stops it). */
export class ServiceExitedError extends Error {
  constructor(
    readonly service: string,
    readonly instance: number,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly logFile: string,
  ) {
    const how = code !== null ? `with exit code ${code}` : `on signal ${signal ?? 'unknown'}`;
    super(`the ${service} service (instance ${instance}) exited ${how} during the distributed run; the run is stopped. Its log says why: ${logFile}`);
    this.name = 'ServiceExitedError';
  }
}

import { execFileSync, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Global setup of the integration tests: finds Kafka, S3 and Redis, in this order,
 * 1. given through the environment (KAFKA_BROKERS, S3_ENDPOINT + S3_BUCKET + credentials, REDIS_URL);
 * 2. else testcontainers, when a Docker engine answers;
 * 3. else the project's local scripts (infra/local/stack-up.sh: Kafka and s3proxy jars from Maven
 *    Central, Redis from apt);
 * 4. else one error saying what is missing.
 * It exports the variables for the test workers and stops at teardown whatever it started.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const REQUIRED = ['KAFKA_BROKERS', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'REDIS_URL'] as const;

type Stop = () => Promise<void>;

function fromEnvironment(): boolean {
  const set = REQUIRED.filter((k) => process.env[k]);
  if (set.length === REQUIRED.length) return true;
  if (set.length > 0) {
    const missing = REQUIRED.filter((k) => !process.env[k]);
    throw new Error(`integration services are partly configured: ${missing.join(', ')} missing (set all of ${REQUIRED.join(', ')}, or none to let the tests start services)`);
  }
  return false;
}

function dockerAnswers(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000, stdio: 'pipe' });
  return r.status === 0 && r.stdout.toString().trim() !== '';
}

async function withTestcontainers(): Promise<Stop> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MinioContainer } = await import('@testcontainers/minio');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [kafka, minio, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    new MinioContainer('minio/minio:RELEASE.2025-04-22T22-12-26Z').start(),
    new RedisContainer('redis:7.4').start(),
  ]);
  process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  process.env.S3_ENDPOINT = minio.getConnectionUrl();
  process.env.S3_ACCESS_KEY_ID = minio.getUsername();
  process.env.S3_SECRET_ACCESS_KEY = minio.getPassword();
  process.env.S3_BUCKET = 'padan';
  process.env.S3_REGION = 'us-east-1';
  process.env.REDIS_URL = redis.getConnectionUrl();
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: minio.getUsername(), secretAccessKey: minio.getPassword() },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'padan' }));
  s3.destroy();
  return async () => {
    await Promise.all([kafka.stop(), minio.stop(), redis.stop()]);
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

async function withLocalScripts(): Promise<Stop> {
  // Only what this run starts is stopped afterwards: a stack a developer started stays up.
  const wasRunning = (await portOpen(9092)) && (await portOpen(9000));
  // --redis-cluster: the 3-master cluster of the Redis Cluster conformance test.
  const out = execFileSync('bash', [`${root}infra/local/stack-up.sh`, '--redis-cluster'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  for (const line of out.split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1] as string] = (m[2] as string).replace(/^'(.*)'$/, '$1');
  }
  fromEnvironment() || (() => {
    throw new Error('infra/local/stack-up.sh did not print every service variable; see its output above');
  })();
  return async () => {
    if (!wasRunning) execFileSync('bash', [`${root}infra/local/stack-down.sh`], { cwd: root, stdio: 'inherit', timeout: 180_000 });
  };
}

let stop: Stop | null = null;

/**
 * The Redis Cluster (REDIS_CLUSTER_NODES, from the environment or stack-up --redis-cluster) is for
 * the cluster conformance test only (test/helpers/redis.ts reads PADAN_TEST_REDIS_CLUSTER_NODES):
 * the services the distributed tests start keep the single Redis of REDIS_URL.
 */
function clusterForItsTestOnly(): void {
  const nodes = process.env.REDIS_CLUSTER_NODES;
  if (nodes) process.env.PADAN_TEST_REDIS_CLUSTER_NODES = nodes;
  delete process.env.REDIS_CLUSTER_NODES;
}

export async function setup(): Promise<void> {
  // The distributed tests start the services from their build output.
  execFileSync('npx', ['tsc', '--build'], { cwd: root, stdio: 'inherit' });
  if (fromEnvironment()) return clusterForItsTestOnly();
  if (dockerAnswers()) {
    stop = await withTestcontainers();
    return clusterForItsTestOnly();
  }
  if (has('java') && has('mvn')) {
    stop = await withLocalScripts();
    return clusterForItsTestOnly();
  }
  throw new Error(
    'the integration tests need Kafka, S3 and Redis, and none could be found or started: ' +
      'set KAFKA_BROKERS, S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and REDIS_URL; ' +
      'or run a Docker engine (testcontainers); or install Java 17+ and Maven (infra/local/stack-up.sh fetches Kafka and s3proxy from Maven Central, Redis from apt)',
  );
}

export async function teardown(): Promise<void> {
  if (stop) await stop();
}
